//! Measures `formats::gzip` throughput on real files: probe, inflate and rebuild, in MB/s of decompressed
//! XML (1 MB = 10^6 bytes). Files are read into memory first, so the disk is not measured.
//!
//! cargo run --release --example gzip_throughput -- [FILE.als ...]
//! (default: the corpus's largest set, livedb__Michelle.als, 16.5 MB of XML)

use std::io::{self, Read};
use std::time::{Duration, Instant};

use daw::formats::gzip::{Inflater, probe, rebuild, zlib_version};

const DEFAULT_FILE: &str = "/work/shared/corpus/als/livedb__Michelle.als";
const ROUNDS: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        files.push(DEFAULT_FILE.to_owned());
    }
    println!("zlib {}, best of {ROUNDS} rounds", zlib_version());
    for file in files {
        let compressed = std::fs::read(&file)?;
        let Some(layout) = probe(&compressed[..])? else {
            println!("{file}: not re-creatable, would be stored raw");
            continue;
        };
        let mut payload = Vec::new();
        Inflater::new(&compressed[..])?.read_to_end(&mut payload)?;

        let probe_time = best_of(|| {
            probe(&compressed[..]).map(|_| ())?;
            Ok(())
        })?;
        let inflate_time = best_of(|| {
            io::copy(&mut Inflater::new(&compressed[..])?, &mut io::sink())?;
            Ok(())
        })?;
        let mut rebuilt = Vec::with_capacity(compressed.len());
        let rebuild_time = best_of(|| {
            rebuilt.clear();
            rebuild(&layout, &payload[..], &mut rebuilt)?;
            Ok(())
        })?;
        assert!(rebuilt == compressed, "{file}: rebuild is not byte-exact");

        let mb = payload.len() as f64 / 1e6;
        let rate = |time: Duration| mb / time.as_secs_f64();
        println!(
            "{file}: {:.1} MB XML, {:.1} MB gzip, {}: probe {:.0} MB/s, inflate {:.0} MB/s, rebuild {:.0} MB/s",
            mb,
            compressed.len() as f64 / 1e6,
            layout.params(),
            rate(probe_time),
            rate(inflate_time),
            rate(rebuild_time),
        );
    }
    Ok(())
}

fn best_of(
    mut run: impl FnMut() -> Result<(), Box<dyn std::error::Error>>,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        run()?;
        best = best.min(start.elapsed());
    }
    Ok(best)
}
