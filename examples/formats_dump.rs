//! Print the model of a project file as JSON: `cargo run --example formats_dump -- FILE`.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: formats_dump FILE")?;
    let bytes = std::fs::read(&path)?;
    let project = daw::formats::parse_project(&path, &bytes[..])?;
    let json = serde_json::to_string_pretty(&project)?;
    std::io::stdout().write_all(json.as_bytes())?;
    println!();
    eprintln!("{}", project.summary());
    Ok(())
}
