use super::*;

const ALL: [Permission; 15] = [
    Permission::ReadInventory,
    Permission::RegisterDevices,
    Permission::WorkshopActions,
    Permission::DispatchActions,
    Permission::ManageDonors,
    Permission::ManageLots,
    Permission::ManageSites,
    Permission::ManageUsers,
    Permission::IssueCertificates,
    Permission::ReadLedger,
    Permission::CorrectRecords,
    Permission::ManageBeneficiaries,
    Permission::ReadPersonalData,
    Permission::ManageWorkers,
    Permission::ReadNotes,
];

fn allowed(role: Role) -> Vec<Permission> {
    ALL.into_iter().filter(|p| role.allows(*p)).collect()
}

/// The role table of docs/DECISIONS.md: `| `Permission` | ✓ | … |` rows,
/// one column per role in the header's order.
fn documented() -> Vec<(Role, Vec<String>)> {
    let text = include_str!("../../docs/DECISIONS.md");
    let mut lines = text
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.starts_with("| permission |"));
    let cells = |line: &str| -> Vec<String> {
        line.trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_owned())
            .collect()
    };
    let header = cells(lines.next().expect("docs/DECISIONS.md has the role table"));
    let roles: Vec<Role> = header[1..]
        .iter()
        .map(|r| Role::parse(r).unwrap_or_else(|| panic!("unknown role {r}")))
        .collect();
    let rows: Vec<Vec<String>> = lines
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(cells)
        .collect();
    roles
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let allowed = rows
                .iter()
                .filter(|row| row[i + 1] == "✓")
                .map(|row| row[0].trim_matches('`').to_owned())
                .collect();
            (*role, allowed)
        })
        .collect()
}

#[test]
fn the_role_table_is_the_documented_one() {
    let documented = documented();
    assert_eq!(documented.len(), 4, "one column per role");
    for (role, permissions) in documented {
        let code: Vec<String> = allowed(role).iter().map(|p| format!("{p:?}")).collect();
        assert_eq!(
            permissions, code,
            "{role:?}: docs/DECISIONS.md and Role::allows disagree"
        );
    }
    let named: Vec<String> = ALL.iter().map(|p| format!("{p:?}")).collect();
    let text = include_str!("../../docs/DECISIONS.md");
    for permission in named {
        assert!(
            text.contains(&format!("| `{permission}` |")),
            "{permission} has no row in docs/DECISIONS.md's role table"
        );
    }
}

#[test]
fn roles_parse_from_their_names() {
    for role in [
        Role::Admin,
        Role::Coordinator,
        Role::Technician,
        Role::Viewer,
    ] {
        assert_eq!(Role::parse(role.as_str()), Some(role));
    }
    assert_eq!(Role::parse("root"), None);
}

#[test]
fn a_site_user_cannot_reach_another_site() {
    let own = SiteId::generate();
    let user = Principal {
        user_id: UserId::generate(),
        email: "t@x".into(),
        role: Role::Technician,
        site_id: Some(own),
        language: None,
    };
    assert!(user.check_site(own).is_ok());
    assert!(matches!(
        user.check_site(SiteId::generate()),
        Err(AppError::NotFound)
    ));
    assert!(user.target_site(Some(SiteId::generate())).is_err());
    assert_eq!(user.target_site(None).unwrap(), own);
}
