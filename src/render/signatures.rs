//! The signature block of both parties, as templates print it (`signature_block`): who signs
//! for each party (`signatures:`) and whether and when they have, from `signed_on` or else from
//! an approval of the document that the signatory signed with an SSH key (`engage approve
//! --sign`), which is then an electronic signature of the document.

use serde_json::{Value, json};

/// `{client, provider, complete}`: each party's `name`, `title`, `signed`, `date` (YYYY-MM-DD)
/// and `electronic` (the approval's `signed`: `at`, `fingerprint`, `meaning`), null when not
/// known; `complete` when both have signed. `approvals` are the control block's, with `signed`.
pub fn block(doc: &Value, approvals: &Value) -> Value {
    let client = party(doc.pointer("/signatures/client"), approvals);
    let provider = party(doc.pointer("/signatures/provider"), approvals);
    let complete = client["signed"] == true && provider["signed"] == true;
    json!({"client": client, "provider": provider, "complete": complete})
}

fn party(signatory: Option<&Value>, approvals: &Value) -> Value {
    let field = |key: &str| signatory.and_then(|s| s.get(key)).cloned().unwrap_or(Value::Null);
    let name = signatory.and_then(|s| s.get("name")).and_then(Value::as_str);
    let electronic = name.and_then(|name| {
        approvals
            .as_array()?
            .iter()
            .find(|a| a["name"].as_str() == Some(name) && a["decision"] == "approved" && a.get("signed").is_some())
    });
    let date = match field("signed_on") {
        Value::Null => electronic.map_or(Value::Null, |a| a["date"].clone()),
        date => date,
    };
    json!({
        "name": field("name"),
        "title": field("title"),
        "signed": !date.is_null(),
        "date": date,
        "electronic": electronic.map_or(Value::Null, |a| a["signed"].clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_approval_by_the_signatory_signs_the_block() {
        let doc = json!({"signatures": {
            "client": {"name": "Ann", "title": "COO", "signed_on": "2026-06-14"},
            "provider": {"name": "Bo"},
        }});
        let unsigned = json!([{"name": "Bo", "decision": "approved", "date": "2026-06-12"}]);
        let block_of = |approvals| block(&doc, &approvals);
        let before = block_of(unsigned);
        assert_eq!((&before["client"]["date"], &before["provider"]["signed"]), (&json!("2026-06-14"), &json!(false)));
        assert_eq!(before["complete"], false);
        let signed = json!([{"name": "Bo", "decision": "approved", "date": "2026-06-13", "signed": {"fingerprint": "SHA256:x"}}]);
        let after = block_of(signed);
        assert_eq!(after["provider"]["date"], "2026-06-13");
        assert_eq!(after["provider"]["electronic"]["fingerprint"], "SHA256:x");
        assert_eq!(after["complete"], true);
        assert_eq!(block(&json!({}), &json!([]))["client"]["name"], Value::Null);
    }
}
