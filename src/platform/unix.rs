//! What the key agent needs on Unix (Linux and macOS, whichever implementation is built): a Unix
//! socket and its peer's user, the login session, memory kept out of swap. Windows has no agent
//! (`super::no_agent`).

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

pub use std::os::unix::net::{UnixListener as Listener, UnixStream as Stream};

/// This process's user id.
pub fn user_id() -> u32 {
    // SAFETY: getuid cannot fail.
    unsafe { libc::getuid() }
}

/// `dir`, created (0700) if missing, when only this user can enter it: a folder of its own, owned by
/// the user, closed to others. `None` otherwise (another user's, or open to others).
pub fn private_dir(dir: &Path) -> Option<PathBuf> {
    if !dir.exists() {
        let _ = super::private_dir_builder().create(dir);
    }
    let meta = std::fs::symlink_metadata(dir).ok()?;
    let private = meta.is_dir() && meta.uid() == user_id() && meta.mode() & 0o077 == 0;
    private.then(|| dir.to_path_buf())
}

/// Whether the process at the other end of a Unix socket runs as this user.
pub fn peer_is_user(stream: &Stream) -> bool {
    peer_uid(stream) == Some(user_id())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn peer_uid(stream: &Stream) -> Option<u32> {
    use std::os::fd::AsRawFd;
    // SAFETY: a plain C struct of integers; zero is a valid value.
    let mut cred: libc::ucred = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are valid for writes of the sizes given.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some(cred.uid)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn peer_uid(stream: &Stream) -> Option<u32> {
    use std::os::fd::AsRawFd;
    let mut uid: libc::uid_t = 0;
    let mut gid: libc::gid_t = 0;
    // SAFETY: the out pointers are valid.
    let rc = unsafe { libc::getpeereid(stream.as_raw_fd(), &mut uid, &mut gid) };
    (rc == 0).then_some(uid)
}

/// This process's session id (its session leader's pid).
pub fn session_id() -> i32 {
    // SAFETY: getsid(0) only reads this process's session id.
    unsafe { libc::getsid(0) }
}

/// Whether the session leader `sid` still runs and leads its session (`sid` 0 or 1: no session to
/// follow).
pub fn session_alive(sid: i32) -> bool {
    // SAFETY: getsid on another pid only reads; it fails with ESRCH when the process is gone.
    sid <= 1 || unsafe { libc::getsid(sid) } == sid
}

/// Makes the process `cmd` starts leave our session (`setsid`), so that a closed terminal does not
/// end it.
pub fn detach_from_session(cmd: &mut std::process::Command) {
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
}

/// Points standard output at `/dev/null` (nothing more goes to whoever started the process).
pub fn stdout_to_null() {
    // SAFETY: replacing fd 1 with /dev/null; no Rust handle to it is used after this.
    unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        if null >= 0 {
            libc::dup2(null, 1);
            libc::close(null);
        }
    }
}

/// Keeps `len` bytes at `ptr` out of swap (`mlock`). Best effort: a low RLIMIT_MEMLOCK only means
/// they could be swapped out.
pub fn lock_memory(ptr: *const u8, len: usize) {
    // SAFETY: mlock only changes how the pages holding the range are paged; an invalid range fails.
    unsafe {
        libc::mlock(ptr.cast(), len);
    }
}
