//! `--shard K/N`: a stable share of a workspace's documents, so a CI matrix can split a build.

/// `K/N`: the K-th of N shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let (k, n) = text.split_once('/').ok_or("write the shard as K/N, for example 2/4")?;
        let (index, count) = (k.trim().parse::<u64>(), n.trim().parse::<u64>());
        match (index, count) {
            (Ok(index), Ok(count)) if (1..=count).contains(&index) => Ok(Shard { index, count }),
            _ => Err("K and N are whole numbers with 1 ≤ K ≤ N, for example 2/4".into()),
        }
    }
}

impl Shard {
    /// Whether a document belongs to this shard: by a hash of its ID (FNV-1a), stable across runs,
    /// machines and versions.
    pub fn holds(&self, id: &str) -> bool {
        let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        hash % self.count == self.index - 1
    }
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn shards_split_documents_without_overlap() {
        let shards: Vec<Shard> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        for id in ["SOW-NWL-2026-004", "CR-1", "ENG-A-2026", "PRO-X-9"] {
            assert_eq!(shards.iter().filter(|s| s.holds(id)).count(), 1, "{id}");
        }
        for bad in ["0/3", "4/3", "1", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
