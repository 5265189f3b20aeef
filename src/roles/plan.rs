//! The role decision: from a member's active plans to the managed roles they
//! should hold, and from what they hold to the writes that close the gap.
//! Pure functions, so every case is a unit test and the reconcile's "only the
//! difference, only managed roles" is a property test.

use std::collections::BTreeSet;

use super::settings::RoleSettings;

/// One active plan (a Nexudus contract) of a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The contract's `TariffName`, as Nexudus spells it.
    pub name: String,
    /// `InPausedPeriod`: the plan is on hold and gives no access meanwhile.
    pub paused: bool,
}

/// The managed roles a member with these active plans should hold.
///
/// The member role needs one plan that is not paused (Nexudus' own
/// definition of a member); a plan role needs that plan, not paused. A plan
/// mapped to no role gives only the member role.
pub fn wanted_roles(settings: &RoleSettings, plans: &[Plan]) -> BTreeSet<u64> {
    let running = || plans.iter().filter(|plan| !plan.paused);
    let member = settings.member_role.filter(|_| running().next().is_some());
    running()
        .filter_map(|plan| settings.plan_roles.role_for(&plan.name))
        .chain(member)
        .collect()
}

/// The writes that give a member exactly `wanted` among the `managed` roles,
/// leaving every other role as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleChanges {
    pub add: Vec<u64>,
    pub remove: Vec<u64>,
}

impl RoleChanges {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }
}

/// What to add and remove so that, of `managed`, the member holds `wanted`.
pub fn changes(managed: &BTreeSet<u64>, wanted: &BTreeSet<u64>, current: &[u64]) -> RoleChanges {
    let current: BTreeSet<u64> = current.iter().copied().collect();
    RoleChanges {
        add: wanted
            .iter()
            .filter(|role| managed.contains(role) && !current.contains(role))
            .copied()
            .collect(),
        remove: current
            .iter()
            .filter(|role| managed.contains(role) && !wanted.contains(role))
            .copied()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::settings::PlanRoles;

    const MEMBER: u64 = 100;
    const DESK: u64 = 200;
    const LOUNGE: u64 = 300;

    fn settings() -> RoleSettings {
        RoleSettings {
            member_role: Some(MEMBER),
            plan_roles: PlanRoles::parse("Dedicated Desk=200,Lounge=300").unwrap(),
            ..RoleSettings::default()
        }
    }

    fn plan(name: &str, paused: bool) -> Plan {
        Plan {
            name: name.to_owned(),
            paused,
        }
    }

    fn set(roles: &[u64]) -> BTreeSet<u64> {
        roles.iter().copied().collect()
    }

    #[test]
    fn an_active_plan_gives_the_member_role_and_its_plan_role() {
        let wanted = wanted_roles(&settings(), &[plan("Dedicated Desk", false)]);
        assert_eq!(wanted, set(&[MEMBER, DESK]));
    }

    #[test]
    fn a_paused_plan_gives_no_role() {
        assert_eq!(
            wanted_roles(&settings(), &[plan("Dedicated Desk", true)]),
            set(&[])
        );
    }

    #[test]
    fn several_plans_give_every_plan_role_and_one_member_role() {
        let plans = [
            plan("Dedicated Desk", false),
            plan("Lounge", false),
            plan("Lounge", true),
        ];
        assert_eq!(
            wanted_roles(&settings(), &plans),
            set(&[MEMBER, DESK, LOUNGE])
        );
    }

    #[test]
    fn a_paused_plan_beside_a_running_one_keeps_the_member_role_only_for_the_running_one() {
        let plans = [plan("Dedicated Desk", true), plan("Lounge", false)];
        assert_eq!(wanted_roles(&settings(), &plans), set(&[MEMBER, LOUNGE]));
    }

    #[test]
    fn a_plan_mapped_to_no_role_gives_only_the_member_role() {
        assert_eq!(
            wanted_roles(&settings(), &[plan("Virtual Office", false)]),
            set(&[MEMBER])
        );
    }

    #[test]
    fn plan_names_that_differ_in_case_or_spaces_still_give_their_role() {
        let wanted = wanted_roles(&settings(), &[plan("  dedicated   DESK", false)]);
        assert_eq!(wanted, set(&[MEMBER, DESK]));
    }

    #[test]
    fn no_plan_takes_every_managed_role_and_keeps_the_others() {
        let managed = settings().managed();
        let current = [MEMBER, DESK, 999];
        let diff = changes(&managed, &wanted_roles(&settings(), &[]), &current);
        assert_eq!(diff.add, Vec::<u64>::new());
        assert_eq!(diff.remove, vec![MEMBER, DESK]);
    }

    #[test]
    fn roles_already_held_are_not_written_again() {
        let managed = settings().managed();
        let wanted = set(&[MEMBER, DESK]);
        assert!(changes(&managed, &wanted, &[DESK, MEMBER, 7]).is_empty());
    }
}
