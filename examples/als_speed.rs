//! Measure the Live set XML parser's speed on one core: MB/s of decompressed XML.
//!
//! `cargo run --release --example als_speed -- [SET.als] [ROUNDS]` (default: the corpus's
//! livedb__Michelle.als, 10 rounds). The gzip is inflated once up front, so the figure is the
//! XML parse alone, as issue 4 asks; the whole `parse_als` (inflate + parse) is printed too.

use std::io::Read;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        let local = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/als/livedb__Michelle.als"
        );
        if std::path::Path::new(local).exists() {
            local.to_string()
        } else {
            "/work/shared/corpus/als/livedb__Michelle.als".to_string()
        }
    });
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(10);
    let gz = std::fs::read(&path)?;
    let mut xml = Vec::new();
    flate2::read::MultiGzDecoder::new(&gz[..]).read_to_end(&mut xml)?;
    let mb = xml.len() as f64 / 1e6;

    let mut best = f64::INFINITY;
    let mut tracks = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let set = daw::formats::als::parse_als_xml(&xml[..])?;
        best = best.min(t.elapsed().as_secs_f64());
        tracks = set.tracks.len();
    }
    let t = Instant::now();
    daw::formats::als::parse_als(&gz[..])?;
    let whole = t.elapsed().as_secs_f64();
    println!(
        "{}: {mb:.1} MB XML, {tracks} tracks; XML parse best of {rounds}: {:.1} ms = {:.0} MB/s; gunzip + parse: {:.1} ms",
        path.rsplit('/').next().unwrap_or(&path),
        best * 1e3,
        mb / best,
        whole * 1e3
    );
    Ok(())
}
