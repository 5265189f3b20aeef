//! `POST /webhooks/nexudus` over real HTTP on loopback: what Nexudus is
//! answered, and which coworkers reach the re-sync queue.

use std::net::SocketAddr;

use hmac::{Hmac, Mac};
use nexudus_bot::roles::webhook::{
    MAX_BODY, SIGNATURE_HEADER, coworker_ids, router, verify_signature,
};
use proptest::prelude::*;
use secrecy::SecretString;
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{self, Receiver, error::TryRecvError};

const SECRET: &str = "whsec-0123456789";

/// Serves the webhook on a free loopback port, its queue holding `capacity` bodies.
async fn serve(capacity: usize) -> (String, SocketAddr, Receiver<Vec<u64>>) {
    let (sink, queue) = mpsc::channel(capacity);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(SecretString::from(SECRET), sink);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/webhooks/nexudus"), addr, queue)
}

fn signature(secret: &str, body: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// How Nexudus signs: upper-case hex.
fn sign_upper(body: &[u8]) -> String {
    signature(SECRET, body)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn sign_lower(body: &[u8]) -> String {
    sign_upper(body).to_lowercase()
}

async fn post(url: &str, body: Vec<u8>, signature: Option<String>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(signature) = signature {
        request = request.header(SIGNATURE_HEADER, signature);
    }
    request.send().await.unwrap()
}

const CONTRACT_EVENT: &[u8] =
    br#"[{"Id":900,"CoworkerId":7,"TariffName":"Desk"},{"Id":901,"CoworkerId":8},{"Id":902,"CoworkerId":7}]"#;

#[tokio::test]
async fn a_body_signed_in_upper_case_hex_is_accepted_and_its_coworkers_are_queued() {
    let (url, _, mut queue) = serve(4).await;

    let response = post(
        &url,
        CONTRACT_EVENT.to_vec(),
        Some(sign_upper(CONTRACT_EVENT)),
    )
    .await;

    assert_eq!(response.status(), 202);
    assert_eq!(queue.try_recv(), Ok(vec![7, 8]));
}

#[tokio::test]
async fn a_body_signed_in_lower_case_hex_with_spaces_around_is_accepted_too() {
    let (url, _, mut queue) = serve(4).await;
    let body = br#"[{"Id":31,"FullName":"Ada"}]"#;

    let response = post(&url, body.to_vec(), Some(format!(" {} ", sign_lower(body)))).await;

    assert_eq!(response.status(), 202);
    assert_eq!(queue.try_recv(), Ok(vec![31]));
}

#[tokio::test]
async fn an_unsigned_webhook_is_refused_with_401_and_queues_nothing() {
    let (url, _, mut queue) = serve(4).await;

    let response = post(&url, CONTRACT_EVENT.to_vec(), None).await;

    assert_eq!(response.status(), 401);
    assert!(response.text().await.unwrap().len() < 80);
    assert_eq!(queue.try_recv(), Err(TryRecvError::Empty));
}

#[tokio::test]
async fn a_webhook_with_a_wrong_signature_is_refused_with_401_and_queues_nothing() {
    let (url, _, mut queue) = serve(4).await;
    let other_secret: String = signature("another-secret", CONTRACT_EVENT)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    for wrong in [
        sign_upper(br#"[{"CoworkerId":7}]"#),
        other_secret,
        sign_upper(CONTRACT_EVENT)[..62].to_owned(),
        format!("sha256={}", sign_lower(CONTRACT_EVENT)),
        "not hex at all".to_owned(),
        String::new(),
    ] {
        let response = post(&url, CONTRACT_EVENT.to_vec(), Some(wrong.clone())).await;

        assert_eq!(response.status(), 401, "{wrong:?}");
    }
    assert_eq!(queue.try_recv(), Err(TryRecvError::Empty));
}

/// A JSON body of exactly `len` bytes naming coworker 7.
fn padded_body(len: usize) -> Vec<u8> {
    let record = br#"[{"CoworkerId":7}"#;
    let mut body = record.to_vec();
    body.resize(len - 1, b' ');
    body.push(b']');
    body
}

#[tokio::test]
async fn a_body_of_exactly_64_kib_is_accepted() {
    let (url, _, mut queue) = serve(4).await;
    let body = padded_body(MAX_BODY);

    let response = post(&url, body.clone(), Some(sign_upper(&body))).await;

    assert_eq!(response.status(), 202);
    assert_eq!(queue.try_recv(), Ok(vec![7]));
}

#[tokio::test]
async fn a_signed_body_over_64_kib_is_refused_with_413_and_queues_nothing() {
    let (url, _, mut queue) = serve(4).await;
    let body = padded_body(MAX_BODY + 1);

    let response = post(&url, body.clone(), Some(sign_upper(&body))).await;

    assert_eq!(response.status(), 413);
    assert_eq!(queue.try_recv(), Err(TryRecvError::Empty));
}

#[tokio::test]
async fn a_chunked_body_over_64_kib_is_refused_with_413_and_queues_nothing() {
    let (_, addr, mut queue) = serve(4).await;
    let body = padded_body(MAX_BODY + 8 * 1024);
    let mut request = format!(
        "POST /webhooks/nexudus HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n{SIGNATURE_HEADER}: {}\r\nConnection: close\r\n\r\n",
        sign_upper(&body)
    )
    .into_bytes();
    for chunk in body.chunks(4096) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");

    let mut stream = TcpStream::connect(addr).await.unwrap();
    // The server may answer before it has read everything: what it sent
    // first is what counts.
    let _ = stream.write_all(&request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;

    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(queue.try_recv(), Err(TryRecvError::Empty));
}

#[tokio::test]
async fn a_signed_body_that_is_not_json_records_is_refused_with_400() {
    let (url, _, mut queue) = serve(4).await;
    for body in [&b"[{\"CoworkerId\":7}"[..], b"7", b"", b"<xml/>"] {
        let response = post(&url, body.to_vec(), Some(sign_upper(body))).await;

        assert_eq!(response.status(), 400, "{}", String::from_utf8_lossy(body));
    }
    assert_eq!(queue.try_recv(), Err(TryRecvError::Empty));
}

#[tokio::test]
async fn a_signed_body_naming_no_coworker_is_accepted_and_queues_nothing() {
    let (url, _, mut queue) = serve(4).await;
    let body = br#"[{"Name":"no ids here"}]"#;

    let response = post(&url, body.to_vec(), Some(sign_upper(body))).await;

    assert_eq!(response.status(), 202);
    assert_eq!(queue.try_recv(), Err(TryRecvError::Empty));
}

#[tokio::test]
async fn when_the_queue_is_full_nexudus_is_asked_to_retry_in_5_seconds_and_nothing_is_lost() {
    let (url, _, mut queue) = serve(1).await;
    let first = br#"[{"CoworkerId":1}]"#;
    let second = br#"[{"CoworkerId":2}]"#;
    assert_eq!(
        post(&url, first.to_vec(), Some(sign_upper(first)))
            .await
            .status(),
        202
    );

    let refused = post(&url, second.to_vec(), Some(sign_upper(second))).await;

    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap()),
        Some("5")
    );
    assert_eq!(queue.try_recv(), Ok(vec![1]));
    // Nexudus sends it again later; now there is room.
    let retried = post(&url, second.to_vec(), Some(sign_upper(second))).await;
    assert_eq!(retried.status(), 202);
    assert_eq!(queue.try_recv(), Ok(vec![2]));
}

#[tokio::test]
async fn only_post_is_served_on_the_webhook_path() {
    let (url, _, _queue) = serve(4).await;

    let response = reqwest::get(&url).await.unwrap();

    assert_eq!(response.status(), 405);
}

proptest! {
    #[test]
    fn any_signed_body_verifies_and_no_one_byte_change_does(
        body in proptest::collection::vec(any::<u8>(), 1..512),
        at in any::<proptest::sample::Index>(),
        flip in 1u8..=255,
        upper in any::<bool>(),
    ) {
        let secret = SecretString::from(SECRET);
        let header = if upper { sign_upper(&body) } else { sign_lower(&body) };
        prop_assert!(verify_signature(&secret, &body, Some(&header)));

        let mut changed = body.clone();
        let i = at.index(changed.len());
        changed[i] ^= flip;
        prop_assert!(!verify_signature(&secret, &changed, Some(&header)));
    }

    #[test]
    fn the_parser_never_names_a_coworker_twice(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(ids) = coworker_ids(&body) {
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            prop_assert_eq!(unique.len(), ids.len());
        }
    }
}
