//! A query whose rows come in customer order, read alongside the bills pass: each customer
//! takes its own rows as the pass reaches it, and rows of customers the pass never reaches
//! (no active customer, or no bill up to the month of D) are stepped over.

use crate::error::Result;
use rusqlite::{Row, Rows};
use std::cmp::Ordering;

pub(super) struct Merged<'s, T> {
    rows: Rows<'s>,
    read: fn(&Row) -> Result<(String, T)>,
    /// The next row not yet taken: its customer and its value.
    next: Option<(String, T)>,
}

impl<'s, T> Merged<'s, T> {
    /// `rows` must be ordered by customer number (SQLite's BINARY order, which is byte order,
    /// the order of Rust's `str` comparison); `read` gives a row's customer and value.
    pub(super) fn new(rows: Rows<'s>, read: fn(&Row) -> Result<(String, T)>) -> Result<Self> {
        let mut m = Merged {
            rows,
            read,
            next: None,
        };
        m.advance()?;
        Ok(m)
    }

    /// Replaces the next row with the one after it; returns the one replaced.
    fn advance(&mut self) -> Result<Option<(String, T)>> {
        let next = match self.rows.next()? {
            Some(r) => Some((self.read)(r)?),
            None => None,
        };
        Ok(std::mem::replace(&mut self.next, next))
    }

    /// Hands every row of `cust` to `each`, in query order. Customers must be asked for in
    /// ascending order.
    pub(super) fn take_for(&mut self, cust: &str, mut each: impl FnMut(T)) -> Result<()> {
        while let Some((c, _)) = &self.next {
            match c.as_str().cmp(cust) {
                Ordering::Greater => break,
                Ordering::Less => {
                    self.advance()?;
                }
                Ordering::Equal => {
                    if let Some((_, v)) = self.advance()? {
                        each(v);
                    }
                }
            }
        }
        Ok(())
    }
}
