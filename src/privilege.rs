//! The recommended install runs jicha setgid to a dataset group that operators are not in
//! (SECURITY.md, tier 1). The group's rights are for the dataset only: identity is the real
//! uid (src/context.rs), files at paths the user gave are opened with the real gid, and
//! environment settings that weaken integrity are ignored.

/// Whether the process runs with rights its user does not have (setgid or setuid).
pub fn is_elevated() -> bool {
    // SAFETY: these getters have no preconditions and cannot fail.
    unsafe { libc::getegid() != libc::getgid() || libc::geteuid() != libc::getuid() }
}

/// Runs `f` with this thread's effective ids set to the real ones, so every file it opens or
/// creates is checked and owned as the user who ran jicha, never with the dataset group's
/// rights. Uses the raw system calls, which on Linux change the calling thread only: glibc's
/// setegid would change every thread, including a UI worker that is writing the dataset.
pub fn as_real_user<T>(f: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    if !is_elevated() {
        return f();
    }
    // SAFETY: getters without preconditions.
    let (rgid, egid, ruid, euid) = unsafe {
        (
            libc::getgid(),
            libc::getegid(),
            libc::getuid(),
            libc::geteuid(),
        )
    };
    let keep = -1 as libc::c_long;
    let set = |gid: libc::gid_t, uid: libc::uid_t| -> std::io::Result<()> {
        // SAFETY: setresgid/setresuid on the calling thread; -1 leaves an id unchanged. The
        // saved ids keep the install's group, so switching back is allowed.
        if unsafe { libc::syscall(libc::SYS_setresgid, keep, gid as libc::c_long, keep) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        if unsafe { libc::syscall(libc::SYS_setresuid, keep, uid as libc::c_long, keep) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    };
    if let Err(e) = set(rgid, ruid) {
        let _ = set(egid, euid);
        return Err(e);
    }
    let result = f();
    // Back to the install's group for the dataset. If that failed the process would only have
    // fewer rights, never more.
    let _ = set(egid, euid);
    result
}

/// Gives up the install's group for the rest of the process, for commands that never touch a
/// dataset (e.g. `demo --out DIR`): everything they write is the user's own.
pub fn drop_for_good() -> std::io::Result<()> {
    if !is_elevated() {
        return Ok(());
    }
    // SAFETY: setresgid/setresuid through libc, which applies them to every thread.
    unsafe {
        let (g, u) = (libc::getgid(), libc::getuid());
        if libc::setresgid(g, g, g) != 0 || libc::setresuid(u, u, u) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The environment variable `name`, unless the process is elevated: settings that change
/// where integrity evidence goes are the install's decision, not the caller's.
pub fn trusted_env(name: &str) -> Option<std::ffi::OsString> {
    let value = std::env::var_os(name)?;
    if is_elevated() {
        eprintln!("jicha: ignoring {name}: this jicha runs with the dataset group's rights");
        return None;
    }
    Some(value)
}
