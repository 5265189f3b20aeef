//! Email addresses typed by members: a light check that catches typos before
//! Nexudus is asked anything. Nexudus stays the judge of what really exists.

/// Why a typed email was refused; the text is shown to the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailProblem {
    #[error("it is empty")]
    Empty,
    #[error("it is longer than 254 characters")]
    TooLong,
    #[error("it needs exactly one @")]
    At,
    #[error("the part before the @ is missing or too long")]
    Local,
    #[error("the part after the @ needs a dot, like example.com")]
    Domain,
    #[error("it contains spaces or invisible characters")]
    Whitespace,
}

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
}
