//! Whether an e-mail address looks like the named person's, as a reviewer judges it at a glance:
//! `helen.ashworth@`, `h.ashworth@`, `hashworth@`, `ashworthh@`, `helen@`, `ha@` and
//! `helen.ashworth+bids@` are Helen Ashworth's; `priya.shah@` is not.
//!
//! An address is plausible when one word of its local part (split at dots, dashes, underscores
//! and digits) is made of the name's words, their first three letters or more, or their initials,
//! in any order (`devries` for de Vries, `oconnell` for O'Connell, `bob` for Robert with a short
//! list of common English short forms). Accents are folded (`zoe.muller@` and `zoe.mueller@` for
//! Zoë Müller). Nothing is said about a shared mailbox (`info@`, `procurement.team@`) or when the
//! name or the address is written in another script than Latin, which the address cannot be
//! compared with.

use unicode_normalization::UnicodeNormalization;

/// Whether `email` can be `name`'s address (or cannot be judged).
pub fn plausible(email: &str, name: &str) -> bool {
    let Some((local, _domain)) = email.rsplit_once('@') else { return true };
    let local = local.split('+').next().unwrap_or(local);
    let Some(local) = fold(local, false) else { return true };
    let tokens: Vec<&str> = local.split(|c: char| !c.is_ascii_alphabetic()).filter(|t| !t.is_empty()).collect();
    if tokens.is_empty() || tokens.iter().all(|t| SHARED.contains(t)) || SHARED.contains(&local.as_str()) {
        return true;
    }
    [false, true].into_iter().any(|german| match fold(name, german) {
        Some(name) => {
            let words = words(&name);
            words.is_empty() || tokens.iter().any(|t| made_of(t, &words))
        }
        None => true,
    })
}

/// Local parts of shared and role mailboxes, and words that make them up.
const SHARED: &[&str] = &[
    "accounts",
    "admin",
    "administration",
    "ap",
    "ar",
    "bid",
    "bids",
    "billing",
    "careers",
    "commercial",
    "compliance",
    "contact",
    "contacts",
    "contract",
    "contracts",
    "customer",
    "customers",
    "data",
    "desk",
    "dpo",
    "enquiries",
    "enquiry",
    "feedback",
    "finance",
    "general",
    "group",
    "hello",
    "help",
    "helpdesk",
    "hr",
    "info",
    "inquiries",
    "inquiry",
    "invoice",
    "invoices",
    "it",
    "legal",
    "mail",
    "marketing",
    "no",
    "noreply",
    "office",
    "operations",
    "ops",
    "orders",
    "payable",
    "pmo",
    "post",
    "press",
    "privacy",
    "procurement",
    "project",
    "projects",
    "protection",
    "purchasing",
    "quality",
    "receivable",
    "reception",
    "reply",
    "sales",
    "security",
    "service",
    "servicedesk",
    "services",
    "support",
    "team",
    "tender",
    "tenders",
];

/// Common English short forms of first names, as they appear in addresses.
const SHORT_FORMS: &[(&str, &[&str])] = &[
    ("alexander", &["sandy"]),
    ("anthony", &["tony"]),
    ("catherine", &["kate", "cathy"]),
    ("edward", &["ted", "ed", "ned"]),
    ("elizabeth", &["liz", "beth", "betty", "libby"]),
    ("james", &["jim", "jimmy", "jamie"]),
    ("john", &["jack"]),
    ("katherine", &["kate", "kathy", "katie"]),
    ("margaret", &["maggie", "peggy", "meg"]),
    ("michael", &["mike", "mick"]),
    ("richard", &["rick", "dick", "rich"]),
    ("robert", &["bob", "rob", "bobby", "bert"]),
    ("william", &["bill", "will", "billy", "liam"]),
];

/// Lower-case ASCII letters for Latin text, accents folded (`ü` as `u`, or as `ue` when
/// `german`); `None` for a letter of another script.
fn fold(text: &str, german: bool) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'ö' | 'ü' if german => {
                out.push(c.nfd().next()?);
                out.push('e');
            }
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ if c.is_ascii() => out.push(c),
            _ => {
                let mut base = c.nfd().filter(|d| !('\u{300}'..='\u{36f}').contains(d));
                match (base.next(), base.next()) {
                    (Some(b), None) if b.is_ascii() => out.push(b),
                    _ if !c.is_alphabetic() => out.push(' '),
                    _ => return None,
                }
            }
        }
    }
    Some(out)
}

/// The words of a folded name, with each run of consecutive words joined (`de vries` also gives
/// `devries`) and the short forms of first names.
fn words(name: &str) -> Vec<String> {
    let name = name.replace(['\'', '’'], "");
    let parts: Vec<&str> = name.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
    let mut words = Vec::new();
    for start in 0..parts.len() {
        for end in start + 1..=parts.len() {
            words.push(parts[start..end].concat());
        }
    }
    for part in &parts {
        let short = SHORT_FORMS.iter().filter(|(long, _)| long == part).flat_map(|(_, short)| short.iter());
        words.extend(short.map(|s| s.to_string()));
    }
    words
}

/// Whether `token` is a sequence of pieces, each a word, the first three letters or more of a
/// word, or a word's initial.
fn made_of(token: &str, words: &[String]) -> bool {
    // reachable[i]: the first i bytes of the token are made of pieces.
    let mut reachable = vec![false; token.len() + 1];
    reachable[0] = true;
    for i in 0..token.len() {
        if !reachable[i] {
            continue;
        }
        let rest = &token[i..];
        for word in words {
            let common = word.bytes().zip(rest.bytes()).take_while(|(a, b)| a == b).count();
            if common == 0 {
                continue;
            }
            reachable[i + 1] = true;
            if common == word.len() || common >= 3 {
                for len in 3.min(common)..=common {
                    reachable[i + len] = true;
                }
            }
        }
    }
    reachable[token.len()]
}

#[cfg(test)]
mod tests {
    use super::plausible;

    #[test]
    fn addresses_of_the_person() {
        for (email, name) in [
            ("helen.ashworth@northwind.example", "Helen Ashworth"),
            ("h.ashworth@northwind.example", "Helen Ashworth"),
            ("hashworth@northwind.example", "Helen Ashworth"),
            ("ashworthh@northwind.example", "Helen Ashworth"),
            ("helen@northwind.example", "Helen Ashworth"),
            ("ha@northwind.example", "Helen Ashworth"),
            ("helen.ashworth+bids@northwind.example", "Helen Ashworth"),
            ("Helen.Ashworth2@northwind.example", "Helen Ashworth"),
            ("hel.ashworth@northwind.example", "Helen Ashworth"),
            ("sanne.devries@ostara.example", "Sanne de Vries"),
            ("mark.oconnell@kittiwake.example", "Mark O'Connell"),
            ("mary-jane.smith@x.example", "Mary-Jane Smith"),
            ("zoe.muller@x.example", "Zoë Müller"),
            ("zoe.mueller@x.example", "Zoë Müller"),
            ("lukasz.wojcik@x.example", "Łukasz Wójcik"),
            ("soren.jorgensen@x.example", "Søren Jørgensen"),
            ("bob.jones@x.example", "Robert Jones"),
            ("bill@x.example", "William Gates"),
            ("jsmith@x.example", "Dr John Smith"),
            ("info@x.example", "Helen Ashworth"),
            ("procurement.team@x.example", "Helen Ashworth"),
            ("accounts-payable@x.example", "Helen Ashworth"),
            ("i.petrov@x.example", "Иван Петров"),
            ("taro.yamada@x.example", "山田太郎"),
            ("12345@x.example", "Helen Ashworth"),
            ("nguyen.van.an@x.example", "Nguyễn Văn An"),
        ] {
            assert!(plausible(email, name), "{email} for {name}");
        }
    }

    #[test]
    fn addresses_of_someone_else() {
        for (email, name) in [
            ("priya.shah@northwind.example", "Helen Ashworth"),
            ("marcus.bell@northwind.example", "Helen Ashworth"),
            ("tom.okafor@harbourfinch.example", "Priya Raman"),
            ("j.smith@x.example", "Helen Ashworth"),
        ] {
            assert!(!plausible(email, name), "{email} for {name}");
        }
    }
}
