//! Login links delivered by direct message.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serenity::all::{ChannelId, CreateMessage, Http, UserId};
use serenity::http::{LightMethod, Request, Route};
use tracing::warn;

use super::{describe_error, discord_error_code};
use crate::messages::Messages;
use crate::nexudus::LoginUrl;
use crate::pages::PortalPage;
use crate::request::Request as MemberRequest;
use crate::service::{Delivery, LinkCourier};

/// Discord's "Cannot send messages to this user": the member closed DMs from server members.
const CANNOT_DM_USER: i64 = 50007;

/// The wait before the one retry of a DM answered 429 without saying how long.
const DM_RETRY_WAIT: Duration = Duration::from_secs(1);
/// The longest `retry_after` waited out; longer, the DM is given up (the member
/// is waiting for an answer).
const DM_RETRY_LIMIT: Duration = Duration::from_secs(5);

/// Why one DM post did not go through.
#[derive(Debug)]
enum PostError {
    /// 50007: the member closed DMs from server members.
    Closed,
    /// 429, with Discord's `retry_after` when it said.
    RateLimited(Option<Duration>),
    Failed(String),
}

/// Sends login links through Discord DMs.
///
/// With serenity's rate limiter on (the default), serenity itself waits out
/// a 429's `Retry-After` and retries. Behind `DISCORD_API_BASE` it is off,
/// and serenity's error for a 429 keeps neither the body nor the headers, so
/// the message is posted with serenity's request builder and the answer read
/// here: the retry then waits Discord's own `retry_after`.
pub struct DmCourier {
    http: Arc<Http>,
    client: reqwest::Client,
}

impl DmCourier {
    pub fn new(http: Arc<Http>, client: reqwest::Client) -> DmCourier {
        DmCourier { http, client }
    }

    async fn send_once(
        &self,
        text: &Messages,
        member_id: u64,
        url: &LoginUrl,
        page: &PortalPage,
    ) -> Result<(), PostError> {
        let channel = UserId::new(member_id)
            .create_dm_channel(&*self.http)
            .await
            .map_err(|err| serenity_error(&err))?;
        let message = super::login::dm(text, url, page);
        if self.http.ratelimiter.is_some() {
            return channel
                .id
                .send_message(&*self.http, message)
                .await
                .map(drop)
                .map_err(|err| serenity_error(&err));
        }
        self.post_reading_the_answer(channel.id, &message).await
    }

    async fn post_reading_the_answer(
        &self,
        channel: ChannelId,
        message: &CreateMessage,
    ) -> Result<(), PostError> {
        let body = serde_json::to_vec(message).map_err(|err| PostError::Failed(err.to_string()))?;
        let route = Route::ChannelMessages {
            channel_id: channel,
        };
        let request = Request::new(route, LightMethod::Post)
            .body(Some(body))
            .build(&self.client, self.http.token(), self.http.proxy.as_deref())
            .map_err(|err| PostError::Failed(describe_error(&err)))?;
        let response = request
            .send()
            .await
            // Without the URL: it names the channel, and nothing else is worth keeping.
            .map_err(|err| PostError::Failed(err.without_url().to_string()))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let header = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<f64>().ok());
        let answer: serde_json::Value = response.json().await.unwrap_or_default();
        Err(post_error(status.as_u16(), &answer, header))
    }
}

/// What a failed DM post's status and JSON body mean.
fn post_error(status: u16, answer: &serde_json::Value, retry_header: Option<f64>) -> PostError {
    if status == 429 {
        let seconds = answer["retry_after"].as_f64().or(retry_header);
        let wait = seconds
            .filter(|secs| secs.is_finite() && *secs >= 0.0)
            .map(Duration::from_secs_f64);
        return PostError::RateLimited(wait);
    }
    if answer["code"].as_i64() == Some(CANNOT_DM_USER) {
        return PostError::Closed;
    }
    PostError::Failed(format!("Discord answered {status}"))
}

fn serenity_error(err: &serenity::Error) -> PostError {
    match (super::discord_status(err), discord_error_code(err)) {
        (_, Some(code)) if code as i64 == CANNOT_DM_USER => PostError::Closed,
        (Some(429), _) => PostError::RateLimited(None),
        _ => PostError::Failed(describe_error(err)),
    }
}

#[async_trait]
impl LinkCourier for DmCourier {
    async fn deliver(
        &self,
        request: &MemberRequest,
        member_id: u64,
        url: &LoginUrl,
        page: &PortalPage,
    ) -> Delivery {
        // The language of the command that asked for it, whoever receives it.
        let text = Messages::new(request.locale);
        let mut retried = false;
        loop {
            match self.send_once(&text, member_id, url, page).await {
                Ok(()) => return Delivery::Sent,
                Err(PostError::Closed) => return Delivery::DmClosed,
                Err(PostError::RateLimited(wait)) if !retried => {
                    let wait = wait.unwrap_or(DM_RETRY_WAIT);
                    if wait > DM_RETRY_LIMIT {
                        warn!(
                            wait_ms = wait.as_millis() as u64,
                            "the login DM is rate limited for too long"
                        );
                        return Delivery::Failed;
                    }
                    retried = true;
                    tokio::time::sleep(wait).await;
                }
                Err(PostError::RateLimited(_)) => {
                    warn!("the login DM was rate limited again after its retry");
                    return Delivery::Failed;
                }
                Err(PostError::Failed(why)) => {
                    warn!(error = %why, "sending the login DM failed");
                    return Delivery::Failed;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_429_waits_discords_retry_after_from_the_body_first_then_the_header() {
        let body =
            json!({"message": "You are being rate limited.", "retry_after": 1.5, "global": false});
        assert!(matches!(
            post_error(429, &body, Some(2.0)),
            PostError::RateLimited(Some(wait)) if wait == Duration::from_millis(1500)
        ));
        assert!(matches!(
            post_error(429, &json!({}), Some(2.0)),
            PostError::RateLimited(Some(wait)) if wait == Duration::from_secs(2)
        ));
        assert!(matches!(
            post_error(429, &json!({"retry_after": -1.0}), None),
            PostError::RateLimited(None)
        ));
    }

    #[test]
    fn closed_dms_and_other_refusals_are_told_apart() {
        let closed = json!({"code": 50007, "message": "Cannot send messages to this user"});
        assert!(matches!(post_error(403, &closed, None), PostError::Closed));
        assert!(matches!(
            post_error(500, &json!({}), None),
            PostError::Failed(_)
        ));
    }
}
