//! The bad-input corpus: what users really paste into each field, wrong, and the message
//! each gets (its code and the words that tell them what to do); then every parser fed
//! arbitrary text, which must answer — never panic.

use golive_core::domain::normalize;
use golive_core::keys::{parse_publishable_key, secret_key_env, secret_paste};
use golive_core::provider::{Credentials, ProviderId};
use golive_core::secrets::{Secret, SecretKind};
use golive_core::steps::launch::settings::{protected_path, supabase_anon_key};
use golive_core::vendors::oauth::formats::check_format;
use golive_core::vendors::oauth::import::parse_google_json;
use golive_core::vendors::supabase::parse_project_ref;
use golive_core::webhook::endpoint_url;
use proptest::prelude::*;

#[derive(Clone, Copy, Debug)]
enum Field {
    Domain,
    PublishableKey,
    SecretKey,
    SupabaseRef,
    GoogleJson,
    OAuth(ProviderId),
    /// The launch proof's protected page, on quillmate.site.
    ProtectedPath,
    SupabaseAnonKey,
    WebhookSecret,
    WebhookUrl,
    RenderKey,
}

fn oauth(p: ProviderId, pasted: &str) -> golive_core::Result<()> {
    let (id, secret) = pasted.split_once(" | ").unwrap_or((pasted, ""));
    check_format(
        p,
        &Credentials {
            client_id: id.into(),
            secret: Secret::new(secret),
            apple_team_id: None,
            apple_key_id: None,
            secret_expires_on: None,
        },
    )
}

fn parse(field: Field, input: &str) -> golive_core::Result<()> {
    match field {
        Field::Domain => normalize(input).map(drop),
        Field::PublishableKey => parse_publishable_key(input).map(drop),
        Field::SecretKey => secret_key_env(input).map(drop),
        Field::SupabaseRef => parse_project_ref(input).map(drop),
        Field::GoogleJson => parse_google_json(input).map(drop),
        Field::OAuth(p) => oauth(p, input),
        Field::ProtectedPath => protected_path(input, "quillmate.site").map(drop),
        Field::SupabaseAnonKey => supabase_anon_key(input).map(drop),
        Field::WebhookSecret => secret_paste(SecretKind::ClerkWebhookSecret, input).map(drop),
        Field::WebhookUrl => endpoint_url(input, "quillmate.site").map(drop),
        Field::RenderKey => secret_paste(SecretKind::RenderApiKey, input).map(drop),
    }
}

use Field::*;
use ProviderId::*;

/// (field, what was pasted, expected code, words of the message).
const CORPUS: &[(Field, &str, &str, &str)] = &[
    (Domain, "", "domain_invalid", "Enter your production domain"),
    (
        Domain,
        "   ",
        "domain_invalid",
        "Enter your production domain",
    ),
    (
        Domain,
        "\u{200B}\u{FEFF}",
        "domain_invalid",
        "Enter your production domain",
    ),
    (Domain, "quillmate", "domain_invalid", "no top-level domain"),
    (
        Domain,
        "https://quillmate",
        "domain_invalid",
        "no top-level domain",
    ),
    (
        Domain,
        "quill mate.site",
        "domain_invalid",
        "contains spaces",
    ),
    (
        Domain,
        "quillmate .site",
        "domain_invalid",
        "contains spaces",
    ),
    (Domain, "192.168.1.10", "domain_invalid", "IP address"),
    (
        Domain,
        "https://10.0.0.1:8080/",
        "domain_invalid",
        "IP address",
    ),
    (Domain, "[::1]", "domain_invalid", "IP address"),
    (
        Domain,
        "https://[2001:db8::1]:443/",
        "domain_invalid",
        "IP address",
    ),
    (
        Domain,
        "-quillmate.site",
        "domain_invalid",
        "not starting or ending with a hyphen",
    ),
    (
        Domain,
        "quillmate-.site",
        "domain_invalid",
        "not starting or ending with a hyphen",
    ),
    (
        Domain,
        "quill_mate.site",
        "domain_invalid",
        "not a valid domain name",
    ),
    (
        Domain,
        "quillmate..site",
        "domain_invalid",
        "not a valid domain name",
    ),
    (
        Domain,
        "quillmate.vercel.app",
        "domain_invalid",
        "Vercel preview domain",
    ),
    (
        Domain,
        "https://my-app-git-main.vercel.app/",
        "domain_invalid",
        "Vercel preview domain",
    ),
    (
        Domain,
        "quill$mate.site",
        "domain_invalid",
        "not a valid domain name",
    ),
    (
        PublishableKey,
        "",
        "publishable_key_invalid",
        "must start with pk_live_ or pk_test_",
    ),
    (
        PublishableKey,
        "pk_live_",
        "publishable_key_invalid",
        "does not decode",
    ),
    (
        PublishableKey,
        "pk_live_!!!",
        "publishable_key_invalid",
        "not base64",
    ),
    (
        PublishableKey,
        "pk_live_a_b",
        "publishable_key_invalid",
        "extra underscores",
    ),
    (
        PublishableKey,
        "pk_live_aGVsbG8",
        "publishable_key_invalid",
        "ending in $",
    ),
    (
        PublishableKey,
        "sk_live_abcdefghijklmnopqrstuvwxyz",
        "wrong_field",
        "Secret key field",
    ),
    (
        PublishableKey,
        "ak_abcdefghijklmnopqrst",
        "wrong_field",
        "Platform key field",
    ),
    (
        PublishableKey,
        "whsec_abcdefghijklmnop",
        "wrong_field",
        "webhook signing secret",
    ),
    (
        PublishableKey,
        "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY",
        "publishable_key_invalid",
        "pk_live_",
    ),
    (
        PublishableKey,
        "Y2xlcmsucXVpbGxtYXRlLnNpdGUk",
        "publishable_key_invalid",
        "pk_live_",
    ),
    (
        SecretKey,
        "",
        "secret_key_invalid",
        "must start with sk_live_ or sk_test_",
    ),
    (SecretKey, "sk_live_", "secret_key_invalid", "cut short"),
    (SecretKey, "sk_live_abc", "secret_key_invalid", "cut short"),
    (
        SecretKey,
        "sk_live_abcdefghijklmnop qrstu",
        "secret_key_invalid",
        "stray characters",
    ),
    (
        SecretKey,
        "sk_live_abcdefghijklmnop…",
        "secret_key_invalid",
        "stray characters",
    ),
    (
        SecretKey,
        "pk_live_Y2xlcmsucXVpbGxtYXRlLnNpdGUk",
        "wrong_field",
        "Publishable key field",
    ),
    (
        SecretKey,
        "ak_abcdefghijklmnopqrst",
        "wrong_field",
        "Platform key field",
    ),
    (
        SecretKey,
        "whsec_abcdefghijklmnop",
        "wrong_field",
        "webhook signing secret",
    ),
    (
        SecretKey,
        "live_abcdefghijklmnopqrstu",
        "secret_key_invalid",
        "sk_live_",
    ),
    (SupabaseRef, "", "supabase_ref_invalid", "project URL"),
    (
        SupabaseRef,
        "https://example.com",
        "supabase_ref_invalid",
        "project URL",
    ),
    (
        SupabaseRef,
        "ABCDEFGHIJKLMNOPQRST",
        "supabase_ref_invalid",
        "lowercase",
    ),
    (SupabaseRef, "short", "supabase_ref_invalid", "ref"),
    (
        SupabaseRef,
        "https://supabase.com/dashboard",
        "supabase_ref_invalid",
        "project URL",
    ),
    (GoogleJson, "", "google_json_invalid", "Download JSON"),
    (GoogleJson, "{\"foo\": 1}", "google_json_invalid", "neither"),
    (GoogleJson, "[1, 2]", "google_json_invalid", "Download JSON"),
    (
        GoogleJson,
        "{\"web\": {\"client_id\": 1}}",
        "google_json_invalid",
        "Download JSON",
    ),
    (
        OAuth(Google),
        "1-a.apps.googleusercontent.com | ",
        "oauth_missing",
        "both",
    ),
    (
        OAuth(Google),
        "GOCSPX-abc | 1-a.apps.googleusercontent.com",
        "oauth_swapped",
        "swapped",
    ),
    (
        OAuth(Google),
        "1234567890 | GOCSPX-abc",
        "oauth_client_id_invalid",
        ".apps.googleusercontent.com",
    ),
    (
        OAuth(Google),
        "1-a.apps.googleusercontent.com | secret",
        "oauth_secret_invalid",
        "GOCSPX-",
    ),
    (
        OAuth(Github),
        "Ov23li | abc",
        "oauth_secret_invalid",
        "40 hexadecimal",
    ),
    (
        OAuth(Github),
        "someone | 0123456789abcdef0123456789abcdef01234567",
        "oauth_client_id_invalid",
        "Ov23li",
    ),
    (
        OAuth(Microsoft),
        "not-a-guid | secret~value",
        "oauth_client_id_invalid",
        "GUID",
    ),
    (
        OAuth(Microsoft),
        "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b | 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5c",
        "oauth_secret_is_id",
        "Value",
    ),
    (
        OAuth(Discord),
        "abc | 123456789012345678",
        "oauth_swapped",
        "swapped",
    ),
    (
        OAuth(Discord),
        "12345 | secret",
        "oauth_client_id_invalid",
        "17 to 20 digits",
    ),
    (
        OAuth(Apple),
        "com.example.signin | not a key",
        "oauth_secret_invalid",
        ".p8",
    ),
    (
        OAuth(Apple),
        "signin | -----BEGIN PRIVATE KEY-----",
        "oauth_client_id_invalid",
        "Services ID",
    ),
    (
        OAuth(Apple),
        "com.example.signin | -----BEGIN PRIVATE KEY-----",
        "oauth_apple_ids_invalid",
        "team ID",
    ),
    (
        ProtectedPath,
        "dashboard",
        "protected_path_invalid",
        "starting with /",
    ),
    (
        ProtectedPath,
        "https://quillmate.vercel.app/dashboard",
        "protected_path_other_host",
        "not on quillmate.site",
    ),
    (
        ProtectedPath,
        "//evil.example/x",
        "protected_path_invalid",
        "is not a path",
    ),
    (
        SupabaseAnonKey,
        "https://quillmatesandboxrefx.supabase.co",
        "supabase_anon_key_invalid",
        "not a Supabase anon key",
    ),
    (
        SupabaseAnonKey,
        "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz",
        "supabase_anon_key_secret",
        "secret key",
    ),
    (
        SupabaseAnonKey,
        "sk_live_sandboxQuillmate0123456789abcdef",
        "supabase_anon_key_invalid",
        "starting with eyJ",
    ),
    (
        WebhookSecret,
        "",
        "secret_empty",
        "Paste the Clerk webhook signing secret",
    ),
    (
        WebhookSecret,
        "whsec_",
        "webhook_secret_invalid",
        "cut short",
    ),
    (
        WebhookSecret,
        "whsec_MfKQ9r8GKYqrTwjU…",
        "webhook_secret_invalid",
        "cut short",
    ),
    (
        WebhookSecret,
        "sk_live_abcdefghijklmnopqrstu",
        "wrong_field",
        "Secret key field",
    ),
    (
        WebhookSecret,
        "pk_live_Y2xlcmsucXVpbGxtYXRlLnNpdGUk",
        "wrong_field",
        "Publishable key field",
    ),
    (
        WebhookSecret,
        "msg_2Lh9KzR1xYbq0ZtQ",
        "webhook_secret_invalid",
        "must start with whsec_",
    ),
    (
        WebhookSecret,
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "webhook_secret_invalid",
        "must start with whsec_",
    ),
    (
        WebhookUrl,
        "quillmate.site/api/webhooks/clerk",
        "webhook_url_invalid",
        "starting with https://",
    ),
    (
        WebhookUrl,
        "/api/webhooks/clerk",
        "webhook_url_invalid",
        "starting with https://",
    ),
    (
        WebhookUrl,
        "http://quillmate.site/api/webhooks/clerk",
        "webhook_url_invalid",
        "https://",
    ),
    (
        WebhookUrl,
        "https://quillmate.vercel.app/api/webhooks/clerk",
        "webhook_url_invalid",
        "not quillmate.site",
    ),
    (
        WebhookUrl,
        "https://a1b2c3.ngrok-free.app/api/webhooks/clerk",
        "webhook_url_invalid",
        "not quillmate.site",
    ),
    (
        WebhookUrl,
        "POST https://quillmate.site/api/webhooks/clerk",
        "webhook_url_invalid",
        "is not a URL",
    ),
    // Another host's token in the Render API key field.
    (
        RenderKey,
        "nfp_sandboxNetlifyToken0123456789abcdefg",
        "render_key_invalid",
        "a Netlify access token",
    ),
    (
        RenderKey,
        "NETLIFY_AUTH_TOKEN=nfp_abcdefghijklmnopqrstuvwxyz0123456789",
        "render_key_invalid",
        "a Netlify access token",
    ),
    (
        RenderKey,
        "vcp_2XsandboxVercelToken0123456789",
        "render_key_invalid",
        "a Vercel access token",
    ),
    (
        RenderKey,
        "cfut_sandboxCloudflareToken0123456789ab",
        "render_key_invalid",
        "a Cloudflare API token",
    ),
    (
        RenderKey,
        "srv-d0sandboxquillmate0",
        "render_key_invalid",
        "service's ID",
    ),
    (
        RenderKey,
        "my-render-key",
        "render_key_invalid",
        "start with rnd_",
    ),
    (RenderKey, "  ", "secret_empty", "Paste the Render API key"),
];

#[test]
fn every_bad_input_gets_its_message() {
    assert!(
        CORPUS.len() >= 50,
        "the corpus has {} entries",
        CORPUS.len()
    );
    for (field, input, code, words) in CORPUS {
        let err = parse(*field, input).expect_err(&format!("{field:?} {input:?} accepted"));
        assert_eq!(err.code(), *code, "{field:?} {input:?}: {err}");
        assert!(
            err.to_string().contains(words),
            "{field:?} {input:?}: {err}"
        );
    }
}

const FIELDS: [Field; 15] = [
    Domain,
    PublishableKey,
    SecretKey,
    SupabaseRef,
    GoogleJson,
    OAuth(Google),
    OAuth(Github),
    OAuth(Microsoft),
    OAuth(Discord),
    OAuth(Apple),
    ProtectedPath,
    SupabaseAnonKey,
    WebhookSecret,
    WebhookUrl,
    RenderKey,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_parser_panics_on_any_text(input in any::<String>()) {
        for field in FIELDS {
            let _ = parse(field, &input);
        }
    }

    #[test]
    fn no_parser_panics_on_near_misses(
        prefix in prop::sample::select(vec!["pk_live_", "pk_test_", "sk_live_", "https://", "GOCSPX-", "{\"web\":", "xn--", "ak_", "whsec_", "https://quillmate.site"]),
        rest in "[ -~\u{80}-\u{10FFFF}]{0,80}",
    ) {
        let input = format!("{prefix}{rest}");
        for field in FIELDS {
            let _ = parse(field, &input);
        }
    }
}
