//! Standard output for reports. `print!` panics when the reader has gone away
//! (`engage check | head -n 3`); these end the program quietly instead, with exit code 2 (the
//! output could not be written), as a command-line tool should.

use std::fmt;
use std::io::{self, Write};

pub fn write(args: fmt::Arguments) {
    if let Err(error) = io::stdout().lock().write_fmt(args)
        && error.kind() == io::ErrorKind::BrokenPipe
    {
        std::process::exit(2);
    }
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
