//! What the preview refuses before answering: requests for another host name (DNS rebinding: a
//! page elsewhere whose name resolves to this machine) and paths that could lead outside the
//! output folder.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

/// The `Host` headers the preview answers: the loopback names with its port, and the address it
/// was told to listen on.
#[derive(Debug, Clone)]
pub struct Hosts(Vec<String>);

impl Hosts {
    pub fn for_address(listening: SocketAddr) -> Hosts {
        let port = listening.port();
        let mut names = vec![format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")];
        let own = match listening.ip() {
            IpAddr::V4(ip) => format!("{ip}:{port}"),
            IpAddr::V6(ip) => format!("[{ip}]:{port}"),
        };
        if !listening.ip().is_unspecified() && !names.contains(&own) {
            names.push(own);
        }
        // Browsers leave out the default port.
        if port == 80 {
            names.extend(["localhost".into(), "127.0.0.1".into(), "[::1]".into()]);
        }
        Hosts(names)
    }

    /// Whether a request with this `Host` header (none: refused) may be answered.
    pub fn allows(&self, host: Option<&str>) -> bool {
        host.is_some_and(|host| self.0.iter().any(|name| name.eq_ignore_ascii_case(host.trim())))
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
    fn only_loopback_names_with_the_port_are_allowed() {
        let hosts = Hosts::for_address("127.0.0.1:8123".parse().unwrap());
        for host in ["localhost:8123", "127.0.0.1:8123", "[::1]:8123", "LOCALHOST:8123"] {
            assert!(hosts.allows(Some(host)), "{host}");
        }
        for host in ["evil.example:8123", "localhost:80", "localhost", "127.0.0.1.evil.example:8123", ""] {
            assert!(!hosts.allows(Some(host)), "{host}");
        }
        assert!(!hosts.allows(None));
        let wide = Hosts::for_address("192.168.1.20:8000".parse().unwrap());
        assert!(wide.allows(Some("192.168.1.20:8000")));
        assert!(!wide.allows(Some("evil.example:8000")));
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
