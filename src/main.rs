//! The `daw` command-line tool. All terminal input and output, and all reading of the environment,
//! happens in `cli`; the library (`daw::…`) does neither.

mod cli;

fn main() {
    // Memory is bounded by design; glibc's default of 8 malloc arenas per core lets each worker thread
    // (sealing, verifying) keep its own freed buffers. Two arenas are plenty for daw's few threads.
    // Called before any other thread exists.
    daw::platform::limit_malloc_arenas();
    // Every command may hold a repository's key, and a panic aborts (the release build's `panic =
    // "abort"`): no core file may keep the key (docs/SECURITY.md).
    daw::platform::mark_not_dumpable();
    cli::start_early_walk();
    let code = cli::run();
    if let Some(path) = std::env::var_os("DAW_PEAK_RSS_FILE") {
        report_peak_rss(std::path::Path::new(&path));
    }
    std::process::exit(code);
}

/// Diagnostics for tests and benchmarks (`DAW_PEAK_RSS_FILE`): writes this process's peak resident
/// memory in KiB (`VmHWM`, which counts only daw's own memory, unlike a parent's `wait4` figure that can
/// include the memory of the process it was forked from).
fn report_peak_rss(path: &std::path::Path) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    if let Some(kib) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    {
        let _ = std::fs::write(path, kib.to_string());
    }
}
