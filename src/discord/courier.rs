//! Login links delivered by direct message.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serenity::all::{Http, UserId};
use tracing::warn;

use super::{describe_error, discord_error_code, discord_status};
use crate::messages::Messages;
use crate::nexudus::LoginUrl;
use crate::pages::PortalPage;
use crate::request::Request;
use crate::service::{Delivery, LinkCourier};

/// Discord's "Cannot send messages to this user": the member closed DMs from server members.
const CANNOT_DM_USER: isize = 50007;

/// How long to wait before the one retry of a DM answered 429. serenity does not
/// surface the body's `retry_after` (its error type cannot parse a 429 body), and
/// a DM bucket resets within about a second.
const DM_RETRY_WAIT: Duration = Duration::from_secs(1);

/// Sends login links through Discord DMs.
pub struct DmCourier {
    http: Arc<Http>,
}

impl DmCourier {
    pub fn new(http: Arc<Http>) -> DmCourier {
        DmCourier { http }
    }

    async fn send_once(
        &self,
        text: &Messages,
        member_id: u64,
        url: &LoginUrl,
        page: &PortalPage,
    ) -> Result<(), serenity::Error> {
        let channel = UserId::new(member_id)
            .create_dm_channel(&*self.http)
            .await?;
        channel
            .send_message(&*self.http, super::login::dm(text, url, page))
            .await?;
        Ok(())
    }
}

#[async_trait]
impl LinkCourier for DmCourier {
    async fn deliver(
        &self,
        request: &Request,
        member_id: u64,
        url: &LoginUrl,
        page: &PortalPage,
    ) -> Delivery {
        // The language of the command that asked for it, whoever receives it.
        let text = Messages::new(request.locale);
        let mut retried = false;
        loop {
            let Err(err) = self.send_once(&text, member_id, url, page).await else {
                return Delivery::Sent;
            };
            if discord_error_code(&err) == Some(CANNOT_DM_USER) {
                return Delivery::DmClosed;
            }
            if discord_status(&err) == Some(429) && !retried {
                retried = true;
                tokio::time::sleep(DM_RETRY_WAIT).await;
                continue;
            }
            warn!(error = %describe_error(&err), "sending the login DM failed");
            return Delivery::Failed;
        }
    }
}
