//! Print the musical diff of two project files: `cargo run --example formats_diff -- OLD NEW`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [old, new] = args.as_slice() else {
        return Err("usage: formats_diff OLD NEW".into());
    };
    let parse = |path: &str| -> Result<daw::formats::Project, Box<dyn std::error::Error>> {
        let bytes = std::fs::read(path)?;
        Ok(daw::formats::parse_project(path, &bytes[..])?)
    };
    for change in daw::formats::diff(&parse(old)?, &parse(new)?) {
        println!("{change}");
    }
    Ok(())
}
