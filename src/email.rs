//! Email addresses typed by members: a light check that catches typos before
//! Nexudus is asked anything (Nexudus stays the judge of what really exists),
//! and the mask that is all the audit log and audit channel ever show.

use std::fmt;

/// Why a typed email was refused; the member is told why in their language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    Empty,
    TooLong,
    At,
    Local,
    Domain,
    Whitespace,
}

/// A short diagnostic for logs and errors; members read the reason in their
/// language through `Messages::email_problem`.
impl fmt::Display for EmailProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EmailProblem::Empty => "the email is empty",
            EmailProblem::TooLong => "the email is too long",
            EmailProblem::At => "the email needs exactly one @",
            EmailProblem::Local => "nothing usable before the @",
            EmailProblem::Domain => "the part after the @ is not a domain",
            EmailProblem::Whitespace => "the email contains spaces",
        })
    }
}

impl std::error::Error for EmailProblem {}

/// Checks a typed email and returns it trimmed (case kept: it is shown back to the member).
pub fn parse_email(raw: &str) -> Result<String, EmailProblem> {
    let email = raw.trim();
    if email.is_empty() {
        return Err(EmailProblem::Empty);
    }
    if email.len() > 254 {
        return Err(EmailProblem::TooLong);
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EmailProblem::Whitespace);
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(EmailProblem::At);
    };
    if local.is_empty() || local.len() > 64 {
        return Err(EmailProblem::Local);
    }
    let labels_ok = domain.contains('.') && domain.split('.').all(|label| !label.is_empty());
    if !labels_ok {
        return Err(EmailProblem::Domain);
    }
    Ok(email.to_owned())
}

/// The key an email is rate-limited and compared under: trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// An email reduced to `a***@e***.com`: all the audit log may hold.
///
/// The only way to build one is [`MaskedEmail::new`] (or [`mask_email`]), so
/// a full address cannot reach the audit log by mistake.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MaskedEmail(String);

impl MaskedEmail {
    /// Masks `email`: the first character of the local part, `***`, `@`, the
    /// first character of the domain's first label, `***`, then the domain
    /// from its last dot (`.com`). A part of a single character is fully
    /// hidden, so the mask never shows a whole part. Any input is accepted.
    pub fn new(email: &str) -> Self {
        let email = email.trim();
        let masked = match email.rsplit_once('@') {
            Some((local, domain)) => {
                let label = domain.split('.').next().unwrap_or_default();
                let suffix = domain.rfind('.').map_or("", |dot| &domain[dot..]);
                format!("{}@{}{suffix}", mask_part(local), mask_part(label))
            }
            None => mask_part(email),
        };
        Self(masked)
    }

    /// Wraps an address masked before (read back from the audit log) without masking it again.
    pub(crate) fn already_masked(masked: String) -> Self {
        Self(masked)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for MaskedEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `x***`, or just `***` when showing the first character would show it all
/// (or it is a control character that has no business in a channel post).
fn mask_part(part: &str) -> String {
    let mut chars = part.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(_)) if !first.is_control() => format!("{first}***"),
        _ => "***".to_owned(),
    }
}

/// `a***@e***.com` for `ann@example.com`; see [`MaskedEmail::new`].
pub fn mask_email(email: &str) -> String {
    MaskedEmail::new(email).into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_address_is_accepted_and_trimmed() {
        assert_eq!(
            parse_email("  Ada.Lovelace+desk@Example.co.uk \n"),
            Ok("Ada.Lovelace+desk@Example.co.uk".to_owned())
        );
    }

    #[test]
    fn typos_members_make_are_refused_with_a_reason() {
        assert_eq!(parse_email(""), Err(EmailProblem::Empty));
        assert_eq!(parse_email("ada.example.com"), Err(EmailProblem::At));
        assert_eq!(parse_email("ada@@example.com"), Err(EmailProblem::At));
        assert_eq!(parse_email("@example.com"), Err(EmailProblem::Local));
        assert_eq!(parse_email("ada@example"), Err(EmailProblem::Domain));
        assert_eq!(parse_email("ada@example..com"), Err(EmailProblem::Domain));
        assert_eq!(parse_email("ada@.com"), Err(EmailProblem::Domain));
        assert_eq!(
            parse_email("ada lovelace@example.com"),
            Err(EmailProblem::Whitespace)
        );
        assert_eq!(
            parse_email(&format!("{}@example.com", "a".repeat(250))),
            Err(EmailProblem::TooLong)
        );
    }

    #[test]
    fn normalisation_is_idempotent() {
        for raw in ["  Ada@Example.COM ", "ÉLODIE@exemple.fr", "x@y.z"] {
            let once = normalize_email(raw);
            assert_eq!(normalize_email(&once), once);
        }
    }

    /// The mask must hide the local part and the domain's first label.
    fn assert_hides(email: &str, local: &str, label: &str) {
        let masked = mask_email(email);
        let (masked_local, masked_domain) = masked.split_once('@').unwrap_or((&masked, ""));
        assert!(
            !masked_local.contains(local),
            "{email:?} -> {masked:?} shows the local part"
        );
        if !label.is_empty() {
            assert!(
                !masked_domain.contains(label),
                "{email:?} -> {masked:?} shows the domain"
            );
        }
    }

    #[test]
    fn mask_email_never_shows_the_whole_local_part_or_domain_label() {
        let cases = [
            // (input, expected, local part, first domain label)
            ("ann.lee@example.com", "a***@e***.com", "ann.lee", "example"),
            ("  Ann@Example.com ", "A***@E***.com", "Ann", "Example"),
            ("jo@mail.example.co.uk", "j***@m***.uk", "jo", "mail"),
            ("a@example.com", "***@e***.com", "a", "example"),
            ("ann@e.com", "a***@***.com", "ann", "e"),
            ("ann@localhost", "a***@l***", "ann", "localhost"),
            ("not-an-email", "n***", "not-an-email", ""),
            ("a@b@example.org", "a***@e***.org", "a@b", "example"),
            ("@example.com", "***@e***.com", "", "example"),
            ("ann@", "a***@***", "ann", ""),
            ("ünïcødé@exämple.de", "ü***@e***.de", "ünïcødé", "exämple"),
            ("用户@例子.广告", "用***@例***.广告", "用户", "例子"),
            ("", "***", "", ""),
        ];
        for (email, expected, local, label) in cases {
            assert_eq!(mask_email(email), expected, "masking {email:?}");
            if !local.is_empty() {
                assert_hides(email, local, label);
            }
        }
    }
}
