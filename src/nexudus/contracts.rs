//! The Nexudus calls behind membership roles: which coworker a user is, and
//! which plans (coworker contracts) are active.
//!
//! All are REST calls (HTTP Basic) needing the roles `Coworker-List` and
//! `CoworkerContract-List`. Nexudus filters may be ignored or match loosely,
//! so what comes back is checked against what was asked (the user id, the
//! coworker id) rather than trusted: a contract of someone else must never
//! give a member a role.

use std::fmt;

use reqwest::Method;

use super::client::{Budget, NexudusClient};
pub use super::envelope::Contract;
use super::envelope::{CoworkerRecord, contract_list, coworker_records};
use super::error::NexudusError;
use super::observe::Endpoint;
use super::response::interpret;

/// Contracts per page: the most Nexudus serves. One page holds every plan of
/// one member.
const CONTRACT_PAGE_SIZE: u32 = 100;

/// One page of every active contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractPage {
    pub contracts: Vec<Contract>,
    /// Whether another page follows (`HasNextPage`; never on an empty page).
    pub has_next_page: bool,
}

/// Which list the REST user could not read, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RolesAccessProblem {
    /// `GET {API}/spaces/coworkers` failed.
    Coworkers(NexudusError),
    /// `GET {API}/billing/coworkercontracts` failed.
    Contracts(NexudusError),
}

impl RolesAccessProblem {
    /// The Nexudus role the failed list needs.
    pub fn role(&self) -> &'static str {
        match self {
            RolesAccessProblem::Coworkers(_) => "Coworker-List",
            RolesAccessProblem::Contracts(_) => "CoworkerContract-List",
        }
    }

    /// Why the list failed.
    pub fn error(&self) -> &NexudusError {
        match self {
            RolesAccessProblem::Coworkers(error) | RolesAccessProblem::Contracts(error) => error,
        }
    }

    fn list(&self) -> &'static str {
        match self {
            RolesAccessProblem::Coworkers(_) => "coworkers",
            RolesAccessProblem::Contracts(_) => "coworker contracts",
        }
    }
}

impl fmt::Display for RolesAccessProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error() {
            NexudusError::RestCredentialsRejected => write!(
                f,
                "Nexudus does not let the REST user list {}: give it the {} role (and API access)",
                self.list(),
                self.role()
            ),
            error => write!(f, "could not list {} in Nexudus: {error}", self.list()),
        }
    }
}

impl std::error::Error for RolesAccessProblem {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.error())
    }
}

impl NexudusClient {
    /// The coworker of a Nexudus user: `GET {API}/spaces/coworkers?Coworker_User={userId}`
    /// with the REST credentials.
    ///
    /// The coworker is the first record whose `UserId` is `user_id`, else the
    /// first record that names no `UserId` (records naming another user are
    /// never taken). No such record is `Ok(None)`: the user is not a
    /// customer of this space. A 404 is [`NexudusError::NotFound`] (no such
    /// route: a wrong API URL), not `None`.
    pub async fn coworker_for_user(&self, user_id: u64) -> Result<Option<u64>, NexudusError> {
        self.observed(Endpoint::Coworker, self.coworker_op(user_id))
            .await
    }

    async fn coworker_op(&self, user_id: u64) -> Result<Option<u64>, NexudusError> {
        let mut budget = Budget::new(self.inner.timeout);
        let url = self.inner.urls.coworker_of_user(user_id);
        let response = self
            .exchange("coworker", &mut budget, || self.rest(Method::GET, &url))
            .await?;
        let list = interpret(Endpoint::Coworker, &response)?;
        let records = coworker_records(list).map_err(|reason| response.malformed(reason))?;
        Ok(coworker_of(&records, user_id))
    }

    /// The active plans of one coworker:
    /// `GET {API}/billing/coworkercontracts?CoworkerContract_Coworker={id}&CoworkerContract_Active=true&size=100`
    /// with the REST credentials; one page, which holds every plan of one member.
    ///
    /// Only contracts whose `CoworkerId` is `coworker_id` are kept. Records
    /// that cannot be read (no `CoworkerId` or `TariffName`) are skipped.
    pub async fn active_contracts_of(
        &self,
        coworker_id: u64,
    ) -> Result<Vec<Contract>, NexudusError> {
        self.observed(
            Endpoint::MemberContracts,
            self.member_contracts_op(coworker_id),
        )
        .await
    }

    async fn member_contracts_op(&self, coworker_id: u64) -> Result<Vec<Contract>, NexudusError> {
        let mut budget = Budget::new(self.inner.timeout);
        let url = self
            .inner
            .urls
            .active_contracts_of(coworker_id, CONTRACT_PAGE_SIZE);
        let response = self
            .exchange("member_contracts", &mut budget, || {
                self.rest(Method::GET, &url)
            })
            .await?;
        let list = interpret(Endpoint::MemberContracts, &response)?;
        let list = contract_list(list).map_err(|reason| response.malformed(reason))?;
        Ok(list
            .contracts
            .into_iter()
            .filter(|contract| contract.coworker_id == coworker_id)
            .collect())
    }

    /// One page (from 1) of every active contract:
    /// `GET {API}/billing/coworkercontracts?CoworkerContract_Active=true&page={page}&size=100`
    /// with the REST credentials. Each page is its own operation, so a
    /// reconcile reads them one by one, paced by the outbound limiter.
    ///
    /// `has_next_page` is Nexudus' `HasNextPage` (absent: `false`), and is
    /// `false` on a page without records, so a caller reading on while it
    /// is `true` always stops.
    pub async fn active_contracts_page(&self, page: u32) -> Result<ContractPage, NexudusError> {
        self.observed(Endpoint::ActiveContracts, self.contract_page_op(page))
            .await
    }

    async fn contract_page_op(&self, page: u32) -> Result<ContractPage, NexudusError> {
        let mut budget = Budget::new(self.inner.timeout);
        let url = self.inner.urls.active_contracts(page, CONTRACT_PAGE_SIZE);
        let response = self
            .exchange("active_contracts", &mut budget, || {
                self.rest(Method::GET, &url)
            })
            .await?;
        let list = interpret(Endpoint::ActiveContracts, &response)?;
        let list = contract_list(list).map_err(|reason| response.malformed(reason))?;
        Ok(ContractPage {
            has_next_page: list.has_next_page && list.listed > 0,
            contracts: list.contracts,
        })
    }

    /// Checks, for `check`, that the REST user may read both lists the roles
    /// need: one `size=1` GET of `{API}/spaces/coworkers`, then one of
    /// `{API}/billing/coworkercontracts`, each its own operation. The first
    /// that fails is the problem; its `Display` names the Nexudus role to
    /// grant when Nexudus refused (401/403). Not observed, like every probe.
    pub async fn probe_roles_access(&self) -> Result<(), RolesAccessProblem> {
        let coworkers = async {
            let mut budget = Budget::new(self.inner.timeout);
            let url = self.inner.urls.coworkers(1);
            let response = self
                .exchange("coworker", &mut budget, || self.rest(Method::GET, &url))
                .await?;
            let list = interpret(Endpoint::Coworker, &response)?;
            coworker_records(list)
                .map(drop)
                .map_err(|reason| response.malformed(reason))
        };
        self.bounded("coworker", coworkers)
            .await
            .map_err(RolesAccessProblem::Coworkers)?;
        let contracts = async {
            let mut budget = Budget::new(self.inner.timeout);
            let url = self.inner.urls.contracts(1);
            let response = self
                .exchange("active_contracts", &mut budget, || {
                    self.rest(Method::GET, &url)
                })
                .await?;
            let list = interpret(Endpoint::ActiveContracts, &response)?;
            contract_list(list)
                .map(drop)
                .map_err(|reason| response.malformed(reason))
        };
        self.bounded("active_contracts", contracts)
            .await
            .map_err(RolesAccessProblem::Contracts)
    }
}

/// The coworker of `user_id` among `records`: an exact `UserId` match first,
/// else the first record without a `UserId`.
fn coworker_of(records: &[CoworkerRecord], user_id: u64) -> Option<u64> {
    records
        .iter()
        .find(|record| record.user_id == Some(user_id))
        .or_else(|| records.iter().find(|record| record.user_id.is_none()))
        .map(|record| record.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u64, user_id: Option<u64>) -> CoworkerRecord {
        CoworkerRecord { id, user_id }
    }

    #[test]
    fn the_coworker_is_the_record_of_the_user_and_never_another_users() {
        let records = [record(1, Some(8)), record(2, None), record(3, Some(9))];
        assert_eq!(coworker_of(&records, 9), Some(3));
        assert_eq!(coworker_of(&records, 7), Some(2));
        assert_eq!(coworker_of(&[record(1, Some(8))], 9), None);
        assert_eq!(coworker_of(&[], 9), None);
    }

    #[test]
    fn an_access_problem_names_the_role_to_grant_when_nexudus_refused() {
        let refused = RolesAccessProblem::Contracts(NexudusError::RestCredentialsRejected);
        assert!(
            refused.to_string().contains("CoworkerContract-List"),
            "{refused}"
        );
        let refused = RolesAccessProblem::Coworkers(NexudusError::RestCredentialsRejected);
        assert!(refused.to_string().contains("Coworker-List"), "{refused}");
        let down = RolesAccessProblem::Coworkers(NexudusError::Timeout);
        assert_eq!(
            down.to_string(),
            "could not list coworkers in Nexudus: Nexudus did not answer within the time budget"
        );
    }
}
