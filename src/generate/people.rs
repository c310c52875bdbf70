//! Names and words for generated workspaces, and the small deterministic random source that picks
//! them (xorshift: the same seed gives the same workspace on every platform).

use serde_json::{Value, json};

pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: [&str; 16] = [
    "Amelia", "Ravi", "Chloe", "Tomasz", "Ines", "Kwame", "Freya", "Mateo", "Hannah", "Yusuf", "Elin", "Declan",
    "Priya", "Jonas", "Aoife", "Luca",
];
const LAST: [&str; 16] = [
    "Hartley",
    "Okafor",
    "Lindqvist",
    "Novak",
    "Ferreira",
    "Mensah",
    "Campbell",
    "Rossi",
    "Brennan",
    "Demir",
    "Evans",
    "Kowalski",
    "Raman",
    "Weber",
    "Byrne",
    "Moreau",
];
const CLIENT_START: [&str; 12] = [
    "Northgate",
    "Severn",
    "Pennine",
    "Kestrel",
    "Marlow",
    "Ashby",
    "Tamar",
    "Harrow",
    "Calder",
    "Wessex",
    "Avonside",
    "Trent",
];
const CLIENT_END: [&str; 8] = [
    "Logistics plc",
    "Foods Ltd",
    "Energy Ltd",
    "Water plc",
    "Retail Group",
    "Health NHS Trust",
    "Rail Ltd",
    "Homes Ltd",
];
const SUBJECTS: [&str; 10] = [
    "Data readiness assessment",
    "Baseline performance report",
    "Demand forecasting model",
    "Route-optimisation model",
    "Capacity planning workbook",
    "Pilot evaluation report",
    "Operating procedures",
    "Training programme",
    "Benefits realisation plan",
    "Handover pack",
];
const PROGRAMMES: [&str; 6] = [
    "network optimisation",
    "demand planning",
    "workforce scheduling",
    "asset performance",
    "service redesign",
    "inventory optimisation",
];

fn name(random: &mut Random) -> String {
    format!("{} {}", random.pick(&FIRST), random.pick(&LAST))
}

pub fn subject(random: &mut Random) -> String {
    random.pick(&SUBJECTS).to_string()
}

pub fn programme(random: &mut Random) -> String {
    random.pick(&PROGRAMMES).to_string()
}

pub fn email(name: &str, domain: &str) -> String {
    format!("{}@{domain}", name.to_lowercase().replace(' ', "."))
}

/// The people of one engagement: ours and the client's.
pub struct Team {
    pub client: String,
    pub sponsor: String,
    pub lead: String,
    pub manager: String,
    pub account: String,
    pub delivery_lead: String,
    pub director: String,
    pub contracts: String,
    pub ims: String,
}

impl Team {
    pub fn pick(random: &mut Random) -> Team {
        Team {
            client: format!("{} {}", random.pick(&CLIENT_START), random.pick(&CLIENT_END)),
            sponsor: name(random),
            lead: name(random),
            manager: name(random),
            account: name(random),
            delivery_lead: name(random),
            director: name(random),
            contracts: name(random),
            ims: name(random),
        }
    }

    pub fn roles(&self) -> Value {
        let person =
            |name: &str, role: &str| json!({"name": name, "role": role, "email": email(name, "harbourfinch.example")});
        json!({
            "engagement_manager": person(&self.manager, "Engagement Manager"),
            "account_manager": person(&self.account, "Account Manager"),
            "delivery_lead": person(&self.delivery_lead, "Delivery Lead"),
            "ims_lead": person(&self.ims, "IMS Lead"),
            "engagement_director": person(&self.director, "Director"),
            "contracts_lead": person(&self.contracts, "Contracts Manager"),
        })
    }
}
