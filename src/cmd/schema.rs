use crate::app::Outcome;
use crate::error::Error;
use crate::model::Kind;
use crate::validate::schemas;

pub fn run(kind: Option<&str>) -> Result<Outcome, Error> {
    match kind {
        Some(name) => {
            let kind: Kind = name.parse().map_err(|()| Error::UnknownKind(name.to_string()))?;
            out!("{}", schemas::text(kind));
        }
        None => {
            for kind in Kind::ALL {
                outln!("{:<16} {}{}", kind.name(), schemas::BASE, schemas::file_name(kind));
            }
        }
    }
    Ok(Outcome::Clean)
}
