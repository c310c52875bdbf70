//! Standard output for reports. `print!` panics when the reader has gone away
//! (`engage check | head -n 3`); these end the program quietly instead, with exit code 2 (the
//! output could not be written), as a command-line tool should. Any other failure to write (a
//! full disk, `> /dev/full`) also ends it with exit code 2, and says so on standard error: a
//! report that was not written must never pass for a clean one.

use std::fmt;
use std::io::{self, Write};

pub fn write(args: fmt::Arguments) {
    let mut stdout = io::stdout().lock();
    // Flushed at once: a failure found only when the process exits would go unnoticed.
    written(stdout.write_fmt(args).and_then(|()| stdout.flush()));
}

/// Writes a long report to standard output piece by piece through one buffer, so that it is never
/// held whole in memory (hundreds of thousands of findings make hundreds of megabytes of text).
pub fn stream(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
    let mut stdout = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    written(write(&mut stdout).and_then(|()| stdout.flush()));
}

/// Ends the program when standard output could not be written (see the module documentation).
fn written(result: io::Result<()>) {
    let Err(error) = result else {
        return;
    };
    if error.kind() != io::ErrorKind::BrokenPipe {
        eprintln!(
            "error: cannot write to standard output: {error}\nhint: check that the file or device it goes to has free space"
        );
    }
    std::process::exit(2);
}

/// `print!` that survives a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => { $crate::terminal::write(format_args!($($arg)*)) };
}

/// `println!` that survives a closed pipe.
macro_rules! outln {
    () => { $crate::terminal::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::terminal::write(format_args!("{}\n", format_args!($($arg)*))) };
}
