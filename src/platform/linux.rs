//! The fast implementation, for Linux: libc called directly where the standard library would cost
//! allocations or system calls (the walk), or has no equivalent (allocator tuning, thread priority,
//! `sigwait`, `utimensat` on a symlink, `O_NOFOLLOW`).

use std::ffi::{CStr, CString};
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::ptr::NonNull;

use super::{FileStat, Names};

pub const NAME: &str = "linux";

fn cstring(bytes: &[u8]) -> io::Result<CString> {
    CString::new(bytes).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

/// An open folder: listed through its descriptor (`readdir`), each entry `lstat`ed relative to it
/// (`fstatat`), as `std::fs::read_dir` and `DirEntry::metadata` do, but without two allocations and
/// two shared reference counts per entry (the names of a folder are kept in one buffer).
pub struct Folder(NonNull<libc::DIR>);

// SAFETY: the stream is read (`readdir`) only through `&mut self`; what `&self` allows, `fstatat`
// and `openat` relative to its descriptor, is safe from several threads at once.
unsafe impl Send for Folder {}
unsafe impl Sync for Folder {}

const OPEN_FLAGS: libc::c_int = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;

impl Folder {
    /// Opens the folder at `path` (following a symlink to it).
    pub fn open(path: &Path) -> io::Result<Self> {
        let path = cstring(path.as_os_str().as_bytes())?;
        // SAFETY: a valid C string; the descriptor is handed to `fdopendir` or closed.
        let fd = unsafe { libc::open(path.as_ptr(), OPEN_FLAGS) };
        Self::from_fd(fd)
    }

    /// Opens the sub-folder `name` (not following a symlink: a folder replaced by one since it was
    /// `lstat`ed is an error, not a way out of the project).
    pub fn open_at(&self, name: &CStr) -> io::Result<Self> {
        // SAFETY: our descriptor is open while `self` lives; `name` is a C string.
        let fd = unsafe { libc::openat(self.fd(), name.as_ptr(), OPEN_FLAGS | libc::O_NOFOLLOW) };
        Self::from_fd(fd)
    }

    fn from_fd(fd: libc::c_int) -> io::Result<Self> {
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is an open descriptor that the stream now owns (closed with it).
        match NonNull::new(unsafe { libc::fdopendir(fd) }) {
            Some(dir) => Ok(Self(dir)),
            None => {
                let e = io::Error::last_os_error();
                // SAFETY: not owned by any stream.
                unsafe { libc::close(fd) };
                Err(e)
            }
        }
    }

    fn fd(&self) -> libc::c_int {
        // SAFETY: a valid stream while `self` lives.
        unsafe { libc::dirfd(self.0.as_ptr()) }
    }

    /// The names in the folder (without `.` and `..`), in the order the system lists them.
    pub fn names(&mut self) -> io::Result<Names> {
        let mut names = Names::default();
        loop {
            // SAFETY: this thread's errno.
            unsafe { *libc::__errno_location() = 0 };
            // SAFETY: a valid stream, read by this thread only (`&mut self`).
            let entry = unsafe { libc::readdir(self.0.as_ptr()) };
            if entry.is_null() {
                let e = io::Error::last_os_error();
                return match e.raw_os_error() {
                    Some(0) | None => Ok(names),
                    Some(_) => Err(e),
                };
            }
            // SAFETY: `readdir` returned an entry whose name is a C string, valid until the next
            // call; it is copied at once.
            let (name, d_type) =
                unsafe { (CStr::from_ptr((*entry).d_name.as_ptr()), (*entry).d_type) };
            let bytes = name.to_bytes_with_nul();
            if bytes == b".\0" || bytes == b"..\0" {
                continue;
            }
            names.push_with_nul(bytes, d_type == libc::DT_DIR);
        }
    }

    /// `lstat` of the entry `name`.
    pub fn lstat(&self, name: &CStr) -> io::Result<FileStat> {
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: our descriptor is open, `name` is a C string, `st` is written on success.
        let r = unsafe {
            libc::fstatat(
                self.fd(),
                name.as_ptr(),
                st.as_mut_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            )
        };
        if r != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: filled in by a successful `fstatat`.
        let st = unsafe { st.assume_init() };
        Ok(of_stat(&st))
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        // SAFETY: the stream is valid and closed once, with its descriptor.
        unsafe { libc::closedir(self.0.as_ptr()) };
    }
}

/// From `lstat`'s own record: the same fields as [`FileStat::of`] gives for the same file.
#[allow(clippy::unnecessary_cast)] // the field types differ between architectures
fn of_stat(st: &libc::stat) -> FileStat {
    let nanos = |n: i64| n.clamp(0, 999_999_999) as u32;
    FileStat {
        size: st.st_size as u64,
        mtime: (st.st_mtime as i64, nanos(st.st_mtime_nsec as i64)),
        ctime: (st.st_ctime as i64, nanos(st.st_ctime_nsec as i64)),
        ino: st.st_ino as u64,
        dev: st.st_dev as u64,
        mode: st.st_mode as u32,
    }
}

pub fn open_no_follow(path: &Path) -> io::Result<File> {
    File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

pub fn set_symlink_mtime(path: &Path, secs: i64, nanos: u32) {
    let Ok(c) = cstring(path.as_os_str().as_bytes()) else {
        return;
    };
    let t = libc::timespec {
        tv_sec: secs as libc::time_t,
        tv_nsec: nanos as libc::c_long,
    };
    let times = [t, t];
    // SAFETY: `c` is a valid NUL-terminated path and `times` points at two initialised timespecs.
    unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            c.as_ptr(),
            times.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        );
    }
}

pub fn lower_thread_priority() {
    const NICE: libc::c_int = 10;
    // SAFETY: gettid has no preconditions; setpriority on our own thread id only changes this thread.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, NICE);
    }
}

pub fn mark_not_dumpable() {
    // SAFETY: prctl with PR_SET_DUMPABLE only changes this process's flags.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

pub fn limit_malloc_arenas() {
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only tunes the allocator.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

pub fn limit_retained_memory() {
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only tunes the allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 20);
    }
}

pub fn release_free_memory() {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only returns free memory of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

pub fn local_offset_minutes(secs: i64) -> i32 {
    let t = secs as libc::time_t;
    // SAFETY: a plain C struct of integers (and a pointer localtime_r sets); zero is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: `t` and `tm` are valid for the call; localtime_r is the thread-safe variant.
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if ok { (tm.tm_gmtoff / 60) as i32 } else { 0 }
}

/// SIGINT and SIGTERM, blocked in every thread (the mask is set before any other thread starts, so
/// all inherit it) and taken by one thread with `sigwait`.
pub struct StopSignals(libc::sigset_t);

impl StopSignals {
    /// Blocks SIGINT and SIGTERM in this thread and in those it starts afterwards: call it before any
    /// other thread starts.
    pub fn install() -> io::Result<Self> {
        // SAFETY: sigemptyset/sigaddset initialise and fill the set they are given.
        let set = unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGINT);
            libc::sigaddset(&mut set, libc::SIGTERM);
            set
        };
        // SAFETY: a valid signal set; blocking signals in this thread (inherited by the threads it
        // starts).
        let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
        if rc != 0 {
            return Err(io::Error::from_raw_os_error(rc));
        }
        Ok(Self(set))
    }

    /// Waits for the next stop signal; its name, or `None` if waiting failed.
    pub fn wait(&mut self) -> Option<&'static str> {
        let mut sig: libc::c_int = 0;
        // SAFETY: a valid set and a valid out-pointer.
        let rc = unsafe { libc::sigwait(&self.0, &mut sig) };
        (rc == 0).then_some(match sig {
            libc::SIGINT => "SIGINT",
            libc::SIGTERM => "SIGTERM",
            _ => "signal",
        })
    }
}
