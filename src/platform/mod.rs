//! The operating system, behind one small surface: what daw asks of the OS that the standard library
//! does not give, or does not give the same way, everywhere. No other module calls libc or uses
//! `std::os::unix` / `std::os::windows` (a test, `no_os_specific_code_outside_the_platform_module`,
//! keeps it so).
//!
//! Two implementations of the same functions:
//! - `linux`: the fast one, used on Linux. The walk lists a folder with `readdir` and `lstat`s each
//!   entry relative to the open folder (`fstatat`); glibc's allocator is tuned; SIGINT and SIGTERM
//!   are taken with `sigwait`; the sealing threads run at a lower priority.
//! - `portable`: the standard library only (and tokio for the stop signals, jiff for the local time
//!   offset), used on macOS and Windows, and on Linux with the `portable` cargo feature, which
//!   `.ci/run` tests with the whole suite so that what macOS and Windows run is tested here.
//!
//! The key agent's needs (a Unix socket's peer, the login session, locked memory) are Unix only
//! (`unix`, used on Linux and macOS by both): Windows has no key agent, every command unlocks with the
//! passphrase (README, "Platforms"). What differs between Unix and Windows and not between the two
//! implementations (a name as bytes, the fields of a file's metadata) is in this file, and the name
//! rules of other systems (Windows' reserved names, case and Unicode folding) in `names`, pure and
//! tested on every system.
//!
//! This is the lowest layer: it knows nothing of daw's repository, store or objects, never prints,
//! prompts or reads the environment, and decides nothing (what to do when a name cannot be written,
//! or a file stays in use, is its callers' choice).

use std::fs::{File, Metadata};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub mod names;

#[cfg(all(target_os = "linux", not(feature = "portable")))]
mod linux;
#[cfg(all(target_os = "linux", not(feature = "portable")))]
use linux as imp;

#[cfg(not(all(target_os = "linux", not(feature = "portable"))))]
mod portable;
#[cfg(not(all(target_os = "linux", not(feature = "portable"))))]
use portable as imp;

#[cfg(unix)]
mod unix;

pub use imp::{Folder, StopSignals};
pub use names::{bytes_of_path, os_str, path_from_bytes, path_of_bytes};

/// Which implementation this build uses: `"linux"` or `"portable"`.
pub const IMPLEMENTATION: &str = imp::NAME;

// ---------------------------------------------------------------------------------------------------------
// What daw keeps of a file's metadata
// ---------------------------------------------------------------------------------------------------------

/// The file type bits of a mode (`st_mode`). The same numbers on every Unix; on Windows daw makes a
/// mode with them from what the system says ([`FileStat::of`]).
pub const S_IFMT: u32 = 0o170000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;

/// The `lstat` fields daw keeps of a path: what the stat cache compares (all of them must be unchanged
/// for a cached entry to be trusted) and what a tree entry records. A third of `std::fs::Metadata`'s
/// size, which matters in a walk of thousands of files.
///
/// On Windows the standard library gives no inode, device or change time: `ino` and `dev` are 0 and
/// `ctime` is the modification time, so a file is taken for unchanged when its size and mtime are
/// (as Git for Windows does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStat {
    pub size: u64,
    pub mtime: (i64, u32),
    pub ctime: (i64, u32),
    pub ino: u64,
    pub dev: u64,
    /// `st_mode`: file type and permission bits.
    pub mode: u32,
}

impl FileStat {
    /// The fields of `meta` (from `symlink_metadata`, or an open file's `metadata`).
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        let nanos = |n: i64| n.clamp(0, 999_999_999) as u32;
        Self {
            size: meta.len(),
            mtime: (meta.mtime(), nanos(meta.mtime_nsec())),
            ctime: (meta.ctime(), nanos(meta.ctime_nsec())),
            ino: meta.ino(),
            dev: meta.dev(),
            mode: meta.mode(),
        }
    }

    /// The fields of `meta`: no inode, device or change time (see the type's documentation), and a
    /// mode made of the file's type and whether it is read-only.
    #[cfg(not(unix))]
    pub fn of(meta: &Metadata) -> Self {
        let mtime = meta.modified().map(split_time).unwrap_or((0, 0));
        Self {
            size: meta.len(),
            mtime,
            ctime: mtime,
            ino: 0,
            dev: 0,
            mode: synthetic_mode(&meta.file_type(), meta.permissions().readonly()),
        }
    }

    /// The permission bits (with setuid, setgid and sticky), as a tree entry records them.
    pub fn permissions(&self) -> u32 {
        self.mode & 0o7777
    }

    /// Whether any execute bit is set.
    pub fn is_executable(&self) -> bool {
        self.mode & 0o111 != 0
    }

    pub fn is_dir(&self) -> bool {
        self.mode & S_IFMT == S_IFDIR
    }

    pub fn is_file(&self) -> bool {
        self.mode & S_IFMT == S_IFREG
    }

    pub fn is_symlink(&self) -> bool {
        self.mode & S_IFMT == S_IFLNK
    }
}

/// A mode for a system that has none: the file type's bits and `rw-r--r--` (`r--r--r--` when
/// read-only) for a file, `rwxr-xr-x` for a folder, `rwxrwxrwx` for a symlink.
#[cfg_attr(unix, allow(dead_code))]
fn synthetic_mode(kind: &std::fs::FileType, readonly: bool) -> u32 {
    if kind.is_symlink() {
        S_IFLNK | 0o777
    } else if kind.is_dir() {
        S_IFDIR | 0o755
    } else if kind.is_file() {
        S_IFREG | if readonly { 0o444 } else { 0o644 }
    } else {
        0
    }
}

/// Seconds and nanoseconds since the Unix epoch (negative seconds before it).
#[cfg_attr(unix, allow(dead_code))]
fn split_time(t: SystemTime) -> (i64, u32) {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            if d.subsec_nanos() == 0 {
                (-(d.as_secs() as i64), 0)
            } else {
                (-(d.as_secs() as i64) - 1, 1_000_000_000 - d.subsec_nanos())
            }
        }
    }
}

/// Whether the file system records an execute bit. Where it does not (Windows), a file's execute
/// bit is not read from the disk: a tree keeps the bit its file had when it was committed, and a
/// status does not compare it.
pub const HAS_EXEC_BIT: bool = cfg!(unix);

/// The permission bits to record for a file found with `found` (its [`FileStat::permissions`]) that
/// the commit it is compared with recorded as `recorded` (if it had it). Where the file system has no
/// execute bit, the recorded execute bits are kept.
pub fn recorded_permissions(found: u32, recorded: Option<u32>) -> u32 {
    keep_exec_bits(HAS_EXEC_BIT, found, recorded)
}

fn keep_exec_bits(has_exec_bit: bool, found: u32, recorded: Option<u32>) -> u32 {
    if has_exec_bit {
        found
    } else {
        (found & !0o111) | recorded.map_or(0, |r| r & 0o111)
    }
}

// ---------------------------------------------------------------------------------------------------------
// A folder's listing
// ---------------------------------------------------------------------------------------------------------

/// The names of one folder, NUL-terminated, in one buffer (as [`Folder::names`] lists them): a walk
/// of thousands of files makes no allocation per name.
#[derive(Default)]
pub struct Names {
    bytes: Vec<u8>,
    /// Where each name starts in `bytes` and its length (without the NUL), in the order of
    /// [`Names::sort`].
    spans: Vec<(u32, u32)>,
    /// How many entries the listing says are folders (file systems that do not say count none).
    pub dirs: usize,
}

impl Names {
    /// Adds a name (without a NUL inside it).
    #[cfg_attr(
        not(all(target_os = "linux", not(feature = "portable"))),
        allow(dead_code)
    )]
    fn push_with_nul(&mut self, name_with_nul: &[u8], is_dir: bool) {
        let len = name_with_nul.len() - 1;
        self.spans.push((self.bytes.len() as u32, len as u32));
        self.bytes.extend_from_slice(name_with_nul);
        self.dirs += usize::from(is_dir);
    }

    /// Adds a name (without a NUL inside it).
    #[cfg_attr(all(target_os = "linux", not(feature = "portable")), allow(dead_code))]
    fn push(&mut self, name: &[u8], is_dir: bool) {
        self.spans
            .push((self.bytes.len() as u32, name.len() as u32));
        self.bytes.extend_from_slice(name);
        self.bytes.push(0);
        self.dirs += usize::from(is_dir);
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn get(&self, i: usize) -> &std::ffi::CStr {
        let (start, len) = self.spans[i];
        let with_nul = &self.bytes[start as usize..][..len as usize + 1];
        std::ffi::CStr::from_bytes_with_nul(with_nul).expect("a listed name and its NUL")
    }

    pub fn iter(&self) -> impl Iterator<Item = &std::ffi::CStr> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Sorts the names as bytes.
    pub fn sort(&mut self) {
        let bytes = &self.bytes;
        let name = |(start, len): (u32, u32)| &bytes[start as usize..][..len as usize];
        self.spans.sort_unstable_by(|&a, &b| name(a).cmp(name(b)));
    }
}

// ---------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------

/// Opens a file for reading without following a symlink in its place (a file that became a symlink
/// since it was looked at is an error, never read through).
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    imp::open_no_follow(path)
}

/// Makes a rename or a creation in `dir` durable (fsync of the folder). Windows cannot open a folder
/// as a file, and NTFS journals its metadata: nothing to do there.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()
    } else {
        Ok(())
    }
}

/// Sets the permission bits of `file` to `mode` (`& 0o7777`). Windows has no such bits: nothing is
/// changed there.
pub fn set_file_mode(file: &File, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode & 0o7777))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, mode);
        Ok(())
    }
}

/// Sets the permission bits of the file or folder at `path` (see [`set_file_mode`]).
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o7777))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// A `DirBuilder` that makes folders only their owner can enter (0700 on Unix; on Windows a folder
/// inherits its parent's access list, which in a user's profile is the user's).
pub fn private_dir_builder() -> std::fs::DirBuilder {
    #[allow(unused_mut)]
    let mut b = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b
}

/// Makes `options` create a file only its owner can read and write (0600 on Unix).
pub fn private_file(options: &mut std::fs::OpenOptions) -> &mut std::fs::OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600)
    }
    #[cfg(not(unix))]
    {
        options
    }
}

/// The permission bits of a file other users may read or enter (`mode & 0o777`), or `None` when only
/// its owner may (or the system keeps no such bits).
pub fn open_to_others(meta: &Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (meta.mode() & 0o077 != 0).then_some(meta.mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Creates a symlink at `link` pointing at `target` (as a tree records it: bytes). On Windows a
/// symlink to a folder is made as one when the target is a folder, and making one at all needs the
/// right to (Developer Mode or an administrator).
pub fn symlink(target: &[u8], link: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&*os_str(target), link)
    }
    #[cfg(windows)]
    {
        let target = path_from_bytes(target);
        let resolved = link.parent().unwrap_or(Path::new(".")).join(&target);
        if resolved.is_dir() {
            std::os::windows::fs::symlink_dir(&target, link)
        } else {
            std::os::windows::fs::symlink_file(&target, link)
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (target, link);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Sets the modification time of the symlink at `path` itself (not of what it points at). Best
/// effort: the portable implementation cannot (the standard library has no `lutimes`).
pub fn set_symlink_mtime(path: &Path, secs: i64, nanos: u32) {
    imp::set_symlink_mtime(path, secs, nanos)
}

/// Reads exactly `buf.len()` bytes of `file` at `offset`, leaving its position alone where the
/// system allows (several threads read one pack file at once).
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            match file.seek_read(&mut buf[done..], offset + done as u64) {
                Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// How the file system holding `dir` compares names ([`names::Folding`]), found by creating a file
/// there (named `temp_prefix` and 6 letters or digits, removed at once) and looking it up spelled in
/// capitals; with `unicode`, also a second file whose name holds an `é` (one code point), looked up
/// spelled as `e` and an accent. The second name is not `temp_prefix`'s form: a process killed
/// between its creation and its removal leaves it behind, so ask for it only when it matters.
pub fn name_folding(dir: &Path, temp_prefix: &str, unicode: bool) -> io::Result<names::Folding> {
    // A temporary file named `temp_prefix`, six random characters and `suffix`, with its name.
    let probe = |suffix: &str| -> io::Result<(tempfile::NamedTempFile, String)> {
        let file = tempfile::Builder::new()
            .prefix(temp_prefix)
            .rand_bytes(6)
            .suffix(suffix)
            .tempfile_in(dir)?;
        let name = file
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| io::Error::other("a probe's name is not text"))?
            .to_string();
        Ok((file, name))
    };
    let (_held, name) = probe("")?;
    let upper = name.to_ascii_uppercase();
    let case = upper != name && std::fs::symlink_metadata(dir.join(&upper)).is_ok();
    let unicode = unicode && {
        let (_held, name) = probe("-\u{e9}")?;
        let decomposed = name.replace('\u{e9}', "e\u{301}");
        std::fs::symlink_metadata(dir.join(decomposed)).is_ok()
    };
    Ok(names::Folding { case, unicode })
}

// ---------------------------------------------------------------------------------------------------------
// Files another program holds open
// ---------------------------------------------------------------------------------------------------------

/// How long daw keeps trying to replace or remove a file that another program holds open (Windows
/// refuses both while a DAW has the file open without sharing it) before it gives up.
pub const IN_USE_WAIT: Duration = Duration::from_secs(5);

/// Whether an error says that another program holds the file open (Windows: a sharing or lock
/// violation, or access denied, which is also what a file being deleted or mapped gives). Never on
/// Unix, where an open file can always be replaced and removed.
pub fn in_use(e: &io::Error) -> bool {
    cfg!(windows) && in_use_code(e.raw_os_error())
}

/// ERROR_ACCESS_DENIED (5), ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION (33).
fn in_use_code(code: Option<i32>) -> bool {
    matches!(code, Some(5 | 32 | 33))
}

/// Runs `op` until it succeeds, fails with an error that `transient` does not accept, or `limit` has
/// passed (then its last error is returned, saying how long daw waited). Waits 10 ms after the
/// first failure, doubling to 200 ms.
pub fn retry_while<T>(
    limit: Duration,
    transient: impl Fn(&io::Error) -> bool,
    mut op: impl FnMut() -> io::Result<T>,
) -> io::Result<T> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(10);
    loop {
        match op() {
            Err(e) if transient(&e) => {
                if start.elapsed() >= limit {
                    return Err(still_in_use(e, limit));
                }
                std::thread::sleep(delay.min(limit.saturating_sub(start.elapsed())));
                delay = (delay * 2).min(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

/// Renames the temporary file `tmp` over `dest`, waiting up to [`IN_USE_WAIT`] while another program
/// holds `dest` open. Returns the file, open, under its new name.
pub fn replace(mut tmp: tempfile::NamedTempFile, dest: &Path) -> io::Result<File> {
    let start = Instant::now();
    let mut delay = Duration::from_millis(10);
    loop {
        match tmp.persist(dest) {
            Ok(file) => return Ok(file),
            Err(e) if in_use(&e.error) && start.elapsed() < IN_USE_WAIT => {
                tmp = e.file;
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_millis(200));
            }
            Err(e) if in_use(&e.error) => return Err(still_in_use(e.error, IN_USE_WAIT)),
            Err(e) => return Err(e.error),
        }
    }
}

/// The error of a file still held open after `waited`: the system's words, then what to do.
fn still_in_use(e: io::Error, waited: Duration) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "{e}: another program holds it open (still after {} s); close it there (in the DAW) \
             and run the command again",
            waited.as_secs_f32()
        ),
    )
}

/// Renames `from` to `to` (replacing it), waiting up to [`IN_USE_WAIT`] while another program holds
/// either open.
pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    retry_while(IN_USE_WAIT, in_use, || std::fs::rename(from, to))
}

/// Removes the file at `path`, waiting up to [`IN_USE_WAIT`] while another program holds it open.
pub fn remove_file(path: &Path) -> io::Result<()> {
    retry_while(IN_USE_WAIT, in_use, || std::fs::remove_file(path))
}

// ---------------------------------------------------------------------------------------------------------
// Processes, memory, time
// ---------------------------------------------------------------------------------------------------------

/// Lowers the calling thread's CPU priority (the sealing threads yield to the commit's reading and
/// verifying). Linux only; elsewhere the thread keeps its priority.
pub fn lower_thread_priority() {
    imp::lower_thread_priority()
}

/// Marks the process not dumpable (no core file, no ptrace by the user's other processes): every
/// command may hold a key, the agent and `daw watch` for hours. Linux only.
pub fn mark_not_dumpable() {
    imp::mark_not_dumpable()
}

/// Limits glibc to two malloc arenas (call before any other thread starts): its default of 8 per
/// core lets each worker thread keep its own freed buffers. Nothing to do with other allocators.
pub fn limit_malloc_arenas() {
    imp::limit_malloc_arenas()
}

/// Fixes glibc's mmap and trim thresholds at 1 MiB, which glibc would otherwise raise (up to 32 and
/// 64 MiB) after the first large free, keeping tens of MB of a commit's freed buffers for as long as
/// `daw watch` runs (docs/ARCHITECTURE.md, "A watch").
pub fn limit_retained_memory() {
    imp::limit_retained_memory()
}

/// Gives the allocator's free memory back to the system (`malloc_trim` with glibc).
pub fn release_free_memory() {
    imp::release_free_memory()
}

/// The local time zone's offset from UTC at `secs` since the epoch, in minutes.
pub fn local_offset_minutes(secs: i64) -> i32 {
    imp::local_offset_minutes(secs)
}

/// A command that runs `line` with the system's shell: `sh -c` (`cmd /C` on Windows, the line
/// handed over as it is, since cmd.exe does not read its arguments the way other programs do).
pub fn shell_command(line: &std::ffi::OsStr) -> std::process::Command {
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        let mut cmd = std::process::Command::new("cmd");
        cmd.arg("/C").raw_arg(line);
        cmd
    }
    #[cfg(not(windows))]
    {
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c").arg(line);
        cmd
    }
}

/// zlib's allocation callbacks need the C heap: zeroed memory from `calloc` (null when it fails),
/// freed by [`c_free`]. The same on every system.
pub fn c_calloc(items: usize, size: usize) -> *mut std::ffi::c_void {
    // SAFETY: calloc accepts any arguments; it returns null when `items * size` overflows or memory
    // is exhausted.
    unsafe { libc::calloc(items, size) }
}

/// Frees what [`c_calloc`] returned.
///
/// # Safety
/// `address` must come from [`c_calloc`] and not have been freed.
pub unsafe fn c_free(address: *mut std::ffi::c_void) {
    // SAFETY: per this function's contract.
    unsafe { libc::free(address) }
}

/// Whether a file-watching error says that the OS dropped events (inotify's queue overflowed): the
/// whole project must be looked at again. Other systems say so with a rescan flag on an event.
pub fn lost_events(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        e.raw_os_error() == Some(libc::EOVERFLOW)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = e;
        false
    }
}

// ---------------------------------------------------------------------------------------------------------
// The key agent's needs (Unix only)
// ---------------------------------------------------------------------------------------------------------

/// What the key agent needs from the system: a local socket only the user can reach, the user and
/// login session it serves, memory that is not swapped out. Unix only: on Windows there is no agent
/// (connecting fails, starting one fails), and every command unlocks with the passphrase.
pub mod agent {
    #[cfg(unix)]
    pub use super::unix::{
        Listener, Stream, detach_from_session, lock_memory, peer_is_user, private_dir,
        session_alive, session_id, stdout_to_null, user_id,
    };

    #[cfg(not(unix))]
    pub use super::no_agent::*;

    /// Whether this system has the key agent.
    pub const AVAILABLE: bool = cfg!(unix);
}

/// The agent's functions where there is no agent: nothing listens, nothing connects.
#[cfg(not(unix))]
mod no_agent {
    use std::io;
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    fn unsupported() -> io::Error {
        io::Error::new(io::ErrorKind::Unsupported, "no key agent on this system")
    }

    /// A connection (there are none).
    pub enum Stream {}

    impl Stream {
        pub fn connect<P: AsRef<Path>>(_path: P) -> io::Result<Self> {
            Err(unsupported())
        }
        pub fn set_read_timeout(&self, _: Option<Duration>) -> io::Result<()> {
            match *self {}
        }
        pub fn set_write_timeout(&self, _: Option<Duration>) -> io::Result<()> {
            match *self {}
        }
    }

    impl io::Read for Stream {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            match *self {}
        }
    }

    impl io::Write for Stream {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            match *self {}
        }
        fn flush(&mut self) -> io::Result<()> {
            match *self {}
        }
    }

    /// A listening socket (there are none).
    pub enum Listener {}

    impl Listener {
        pub fn bind<P: AsRef<Path>>(_path: P) -> io::Result<Self> {
            Err(unsupported())
        }
        pub fn incoming(&self) -> std::iter::Empty<io::Result<Stream>> {
            match *self {}
        }
    }

    pub fn peer_is_user(stream: &Stream) -> bool {
        match *stream {}
    }
    pub fn private_dir(_dir: &Path) -> Option<PathBuf> {
        None
    }
    pub fn user_id() -> u32 {
        0
    }
    pub fn session_id() -> i32 {
        0
    }
    pub fn session_alive(_sid: i32) -> bool {
        true
    }
    pub fn detach_from_session(_cmd: &mut std::process::Command) {}
    pub fn stdout_to_null() {}
    pub fn lock_memory(_ptr: *const u8, _len: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only this module talks to the OS directly: no libc, `std::os::unix`, `std::os::windows` or
    /// `std::os::fd` anywhere else in `src/` (comments aside), so that what macOS and Windows build
    /// is what the portable implementation holds.
    #[test]
    fn no_os_specific_code_outside_the_platform_module() {
        const FORBIDDEN: [&str; 5] = [
            "libc::",
            "std::os::unix",
            "std::os::windows",
            "std::os::fd",
            "use libc",
        ];
        fn visit(dir: &Path, found: &mut Vec<String>, files: &mut usize) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    if path.file_name() != Some(std::ffi::OsStr::new("platform")) {
                        visit(&path, found, files);
                    }
                } else if path.extension().is_some_and(|e| e == "rs") {
                    *files += 1;
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, line) in text.lines().enumerate() {
                        let code = line.trim_start();
                        if !code.starts_with("//") && FORBIDDEN.iter().any(|f| code.contains(f)) {
                            found.push(format!("{}:{}: {}", path.display(), i + 1, code));
                        }
                    }
                }
            }
        }
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let (mut found, mut files) = (Vec::new(), 0);
        visit(&src, &mut found, &mut files);
        assert!(
            files > 50,
            "only {files} files read below {}",
            src.display()
        );
        assert!(
            found.is_empty(),
            "OS-specific code outside src/platform:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_feature_picks_the_implementation() {
        let expected = if cfg!(all(target_os = "linux", not(feature = "portable"))) {
            "linux"
        } else {
            "portable"
        };
        assert_eq!(IMPLEMENTATION, expected);
    }

    /// Both implementations list a folder and `lstat` its entries as `std` does: the stat cache
    /// compares what the walk saw with what other commands see after reading a file.
    #[test]
    fn a_folders_listing_and_lstat_are_std_s() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(root.join("kick.wav"), b"RIFF").unwrap();
        std::fs::create_dir(root.join("Samples")).unwrap();
        symlink(b"kick.wav", &root.join("link")).unwrap();
        symlink(b"Samples", &root.join("to Samples")).unwrap();
        let mut folder = Folder::open(root).unwrap();
        let mut names = folder.names().unwrap();
        names.sort();
        let listed: Vec<&[u8]> = names.iter().map(|n| n.to_bytes()).collect();
        assert_eq!(
            listed,
            [&b"Samples"[..], b"kick.wav", b"link", b"to Samples"]
        );
        assert_eq!(names.dirs, 1, "one folder (a symlink to one is not)");
        for name in names.iter() {
            let std = std::fs::symlink_metadata(root.join(&*os_str(name.to_bytes())));
            assert_eq!(folder.lstat(name).unwrap(), FileStat::of(&std.unwrap()));
        }
        assert!(folder.lstat(c"Samples").unwrap().is_dir());
        assert!(folder.lstat(c"kick.wav").unwrap().is_file());
        assert!(folder.lstat(c"link").unwrap().is_symlink());
        let missing = folder.lstat(c"gone").unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        // A sub-folder is opened relative to its parent, never through a symlink.
        let mut sub = folder.open_at(c"Samples").unwrap();
        assert_eq!(sub.names().unwrap().len(), 0);
        assert!(folder.open_at(c"to Samples").is_err());
        assert!(folder.open_at(c"kick.wav").is_err());
    }

    #[test]
    fn opening_without_following_refuses_a_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("a.wav"), b"data").unwrap();
        symlink(b"a.wav", &tmp.path().join("b.wav")).unwrap();
        let mut s = String::new();
        use std::io::Read;
        open_no_follow(&tmp.path().join("a.wav"))
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "data");
        assert!(open_no_follow(&tmp.path().join("b.wav")).is_err());
        assert!(open_no_follow(&tmp.path().join("gone.wav")).is_err());
    }

    #[test]
    fn times_before_the_epoch_split_into_seconds_and_nanoseconds() {
        assert_eq!(split_time(UNIX_EPOCH + Duration::new(5, 7)), (5, 7));
        assert_eq!(split_time(UNIX_EPOCH - Duration::new(5, 0)), (-5, 0));
        assert_eq!(
            split_time(UNIX_EPOCH - Duration::new(5, 250_000_000)),
            (-6, 750_000_000)
        );
    }

    #[test]
    fn a_file_system_without_exec_bits_keeps_the_recorded_ones() {
        assert_eq!(keep_exec_bits(true, 0o644, Some(0o755)), 0o644);
        assert_eq!(keep_exec_bits(true, 0o755, None), 0o755);
        assert_eq!(keep_exec_bits(false, 0o644, Some(0o755)), 0o755);
        assert_eq!(keep_exec_bits(false, 0o644, Some(0o644)), 0o644);
        assert_eq!(keep_exec_bits(false, 0o444, Some(0o700)), 0o544);
        assert_eq!(keep_exec_bits(false, 0o644, None), 0o644);
        assert_eq!(
            recorded_permissions(0o644, Some(0o755)) == 0o644,
            HAS_EXEC_BIT
        );
    }

    #[test]
    fn a_mode_is_made_for_systems_without_one() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a");
        std::fs::write(&file, b"x").unwrap();
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!(synthetic_mode(&meta.file_type(), false), S_IFREG | 0o644);
        assert_eq!(synthetic_mode(&meta.file_type(), true), S_IFREG | 0o444);
        let dir = std::fs::metadata(tmp.path()).unwrap();
        assert_eq!(synthetic_mode(&dir.file_type(), false), S_IFDIR | 0o755);
    }

    #[test]
    fn a_file_in_use_is_retried_for_a_bounded_time() {
        // Windows' codes for a file another program holds open.
        assert!(in_use_code(Some(32)) && in_use_code(Some(33)) && in_use_code(Some(5)));
        assert!(!in_use_code(Some(2)) && !in_use_code(None));
        let busy = || io::Error::from(io::ErrorKind::ResourceBusy);
        let is_busy = |e: &io::Error| e.kind() == io::ErrorKind::ResourceBusy;

        // Released after three tries: it succeeds.
        let mut tries = 0;
        let r = retry_while(Duration::from_secs(5), is_busy, || {
            tries += 1;
            if tries < 4 { Err(busy()) } else { Ok(tries) }
        });
        assert_eq!(r.unwrap(), 4);

        // Never released: the error after the limit, saying why.
        let start = Instant::now();
        let e =
            retry_while(Duration::from_millis(300), is_busy, || Err::<(), _>(busy())).unwrap_err();
        assert!(start.elapsed() >= Duration::from_millis(300));
        assert!(start.elapsed() < Duration::from_secs(3));
        assert_eq!(e.kind(), io::ErrorKind::ResourceBusy);
        assert!(
            e.to_string().contains("another program holds it open"),
            "{e}"
        );

        // Any other error: at once.
        let mut tries = 0;
        let e = retry_while(Duration::from_secs(5), is_busy, || {
            tries += 1;
            Err::<(), _>(io::Error::from(io::ErrorKind::NotFound))
        })
        .unwrap_err();
        assert_eq!((tries, e.kind()), (1, io::ErrorKind::NotFound));
    }

    #[test]
    fn a_file_replaced_and_removed_through_the_retrying_calls() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("Song.als");
        std::fs::write(&dest, b"old").unwrap();
        let mut t = tempfile::NamedTempFile::new_in(tmp.path()).unwrap();
        std::io::Write::write_all(&mut t, b"new").unwrap();
        replace(t, &dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new");
        rename(&dest, &tmp.path().join("Song 2.als")).unwrap();
        remove_file(&tmp.path().join("Song 2.als")).unwrap();
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn the_file_systems_folding_is_found_by_a_probe() {
        let tmp = tempfile::tempdir().unwrap();
        let folding = name_folding(tmp.path(), ".daw-tmp-", true).unwrap();
        // Linux's own file systems tell every spelling apart; macOS's and Windows' fold case.
        if cfg!(target_os = "linux") {
            assert_eq!(folding, names::Folding::default());
        } else {
            assert!(folding.case);
        }
        // The probes are gone.
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn reads_at_an_offset() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("pack");
        std::fs::write(&path, b"0123456789").unwrap();
        let f = File::open(&path).unwrap();
        let mut buf = [0u8; 4];
        read_exact_at(&f, &mut buf, 3).unwrap();
        assert_eq!(&buf, b"3456");
        let e = read_exact_at(&f, &mut buf, 8).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    }
}
