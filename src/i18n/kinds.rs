//! `sentence_kinds!`: a message enum whose variants carry values (numbers, names, ids), with a
//! list of one of every kind, so a test can render each in both languages without anyone
//! having to remember to add a new kind to the test.

/// Declares an enum of sentences with fields, and `every_kind()`: one value of each variant with
/// its fields left at their defaults. Every field type must implement `Default`.
#[macro_export]
macro_rules! sentence_kinds {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })?,)*
    }) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$vmeta])* $variant $({ $($field: $ty),* })?,)*
        }

        impl $name {
            /// One of every kind, its values left empty: for tests that render them all.
            pub fn every_kind() -> Vec<$name> {
                vec![$($name::$variant $({ $($field: Default::default()),* })?,)*]
            }
        }
    };
}
