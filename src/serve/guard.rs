//! What the preview refuses before answering: requests for another host name (DNS rebinding: a
//! page elsewhere whose name resolves to this machine) and paths that could lead outside the
//! output folder.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

/// The `Host` headers the preview answers: `localhost` or an IP address, with its port. DNS
/// rebinding needs a host name that resolves to this machine, so a name other than `localhost`
/// is refused; an address names the machine itself (and is how other machines reach `--bind`).
#[derive(Debug, Clone, Copy)]
pub struct Hosts {
    port: u16,
}

impl Hosts {
    pub fn for_address(listening: SocketAddr) -> Hosts {
        Hosts { port: listening.port() }
    }

    /// Whether a request with this `Host` header (none: refused) may be answered.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host.map(str::trim) else { return false };
        // Browsers leave out the default port.
        let (name, port) = match host.rsplit_once(':').filter(|(name, _)| !name.is_empty() && !host.ends_with(']')) {
            Some((name, port)) => (name, port.parse::<u16>().ok()),
            None => (host, Some(80)),
        };
        let address = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
        let named = name.eq_ignore_ascii_case("localhost") || address.parse::<IpAddr>().is_ok();
        named && port == Some(self.port) && (name.starts_with('[') || !address.contains(':'))
    }
}

/// The file below `out` that the URL path `rest` (what follows `/out/`) names, if it is a regular
/// file reached without a symbolic link. Nothing is decoded: output names need no percent
/// escapes, so any `%` (an encoded slash or dot among them), a backslash, an empty, `.` or `..`
/// segment, or a hidden name is refused outright.
pub fn output_file(out: &Path, rest: &str) -> Option<PathBuf> {
    let mut path = out.to_path_buf();
    for segment in rest.split('/') {
        let refused = segment.is_empty() || segment.starts_with('.') || segment.contains(['%', '\\', '\0']);
        if refused {
            return None;
        }
        path.push(segment);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if meta.file_type().is_symlink() {
            return None;
        }
    }
    std::fs::symlink_metadata(&path).ok().filter(|m| m.is_file()).map(|_| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_localhost_or_an_address_with_the_port_is_allowed() {
        let hosts = Hosts::for_address("127.0.0.1:8123".parse().unwrap());
        for host in ["localhost:8123", "127.0.0.1:8123", "[::1]:8123", "LOCALHOST:8123", "192.168.1.20:8123"] {
            assert!(hosts.allows(Some(host)), "{host}");
        }
        for host in [
            "evil.example:8123",
            "localhost:80",
            "localhost",
            "127.0.0.1.nip.io:8123",
            "::1:8123",
            "[::1]",
            "",
            ":8123",
        ] {
            assert!(!hosts.allows(Some(host)), "{host}");
        }
        assert!(!hosts.allows(None));
        let http = Hosts::for_address("127.0.0.1:80".parse().unwrap());
        assert!(http.allows(Some("localhost")) && http.allows(Some("[::1]")) && !http.allows(Some("evil.example")));
    }

    #[test]
    fn output_paths_stay_in_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("typst")).unwrap();
        std::fs::write(out.join("A.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.yaml"), "s").unwrap();
        assert_eq!(output_file(&out, "A.html"), Some(out.join("A.html")));
        for rest in ["../secret.yaml", "%2e%2e/secret.yaml", "..%2Fsecret.yaml", "./A.html", "typst", "", "A.html/"] {
            assert_eq!(output_file(&out, rest), None, "{rest}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.yaml"), out.join("link.html")).unwrap();
            assert_eq!(output_file(&out, "link.html"), None);
        }
    }
}
