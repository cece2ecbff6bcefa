// Shared by build.rs (which declares them to the ACL) and lib.rs (whose test checks that
// each is registered and granted). Keep in step with `generate_handler!` in lib.rs.
pub const COMMANDS: &[&str] = &[
    "list_frameworks",
    "list_projects",
    "create_project",
    "update_project",
    "delete_project",
    "set_publishable_key",
    "set_secret",
    "forget_secret",
    "secret_status",
    "clerk_applications",
    "clerk_create_production",
    "clerk_domain_status",
    "clerk_checklist",
    "set_checklist_item",
    "set_supabase_project",
    "supabase_trust",
    "supabase_add_issuer",
    "dns_probe",
    "export_zone",
    "run_checks",
];
