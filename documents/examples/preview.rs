//! Writes the sample documents as PDFs to look at:
//! `cargo run -p documents --example preview -- [DIRECTORY] [LINES]` (default: the system's
//! temporary directory, 20 lines), then `pdftoppm -png -r 80 invoice.pdf invoice`.

use std::path::PathBuf;
use std::time::Instant;

use documents::{Renderer, samples};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let directory = args.next().map_or_else(std::env::temp_dir, PathBuf::from);
    let lines: usize = args.next().map_or(Ok(20), |text| text.parse())?;
    std::fs::create_dir_all(&directory)?;
    let started = Instant::now();
    let renderer = Renderer::global();
    println!("renderer built in {:?}", started.elapsed());

    let started = Instant::now();
    let invoice = renderer.invoice(&samples::invoice(lines))?;
    println!(
        "invoice ({lines} lines) rendered in {:?}",
        started.elapsed()
    );
    let path = directory.join("invoice.pdf");
    std::fs::write(&path, invoice)?;
    println!("wrote {}", path.display());

    let mut paid = samples::invoice(3);
    paid.status = "Paid".into();
    paid.amount_due = samples::euros(0);
    let path = directory.join("invoice-paid.pdf");
    std::fs::write(&path, renderer.invoice(&paid)?)?;
    println!("wrote {}", path.display());

    let started = Instant::now();
    let note = renderer.credit_note(&samples::credit_note())?;
    println!("credit note rendered in {:?}", started.elapsed());
    let path = directory.join("credit-note.pdf");
    std::fs::write(&path, note)?;
    println!("wrote {}", path.display());
    Ok(())
}
