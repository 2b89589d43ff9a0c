//! One typed configuration, read from an optional TOML file and `BILLFOLD_*` environment
//! variables (plus the conventional `DATABASE_URL`). Every setting has a default that makes
//! `cargo run` work on a fresh clone; production mode insists on the ones that must be explicit.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

mod documents;
mod mail;
mod number_prefix;
mod payments;
pub use documents::{Operator, S3, Storage, StorageBackend};
pub use mail::{Mail, MailTransport, Smtp, SmtpSecurity};
pub use number_prefix::{MAX_PREFIX_LEN, NumberPrefix};
pub use payments::{AfterLastRetry, Payments, ProcessorKind, StripeSettings};

/// Where the configuration file is looked for when `BILLFOLD_CONFIG` does not name one.
pub const DEFAULT_CONFIG_FILE: &str = "billfold.toml";

/// How the server behaves towards its users and operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Local development: GraphiQL, introspection, error suggestions, a generated signing key
    /// kept in the data directory, demo data on first start.
    Development,
    /// Production: an explicit signing key is required; GraphiQL, introspection and "did you
    /// mean" suggestions are off; cookies are `Secure`.
    Production,
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// A secret string that never appears in logs or `Debug` output.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call only where it is used, never to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// JSON Web Token settings. HS256 with `secret` by default; EdDSA when both key files are set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JwtConfig {
    /// `iss` claim written into and required from every token.
    pub issuer: String,
    /// `aud` claim written into and required from every token.
    pub audience: String,
    /// Lifetime of an issued token, in seconds.
    pub ttl_seconds: u64,
    /// HS256 signing secret (at least 32 bytes). In development, when absent, a random one is
    /// generated once and kept in `<data_dir>/jwt-secret`.
    pub secret: Option<Secret>,
    /// Ed25519 private key (PKCS#8 PEM) file; with `public_key_file`, tokens are signed EdDSA.
    pub private_key_file: Option<PathBuf>,
    /// Ed25519 public key (PEM) file matching `private_key_file`.
    pub public_key_file: Option<PathBuf>,
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            issuer: "billfold".into(),
            audience: "billfold-api".into(),
            ttl_seconds: 8 * 3600,
            secret: None,
            private_key_file: None,
            public_key_file: None,
        }
    }
}

/// Limits applied to every GraphQL request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphqlLimits {
    /// Largest accepted request body, in bytes (larger -> 413). The default, 4 MiB, fits a
    /// `recordUsage` batch of 10,000 records with every optional field (about 300 bytes each).
    pub max_body_bytes: usize,
    /// Deepest accepted selection nesting.
    pub max_depth: usize,
    /// Highest accepted query complexity (each field costs 1; lists multiply by their page size).
    pub max_complexity: usize,
    /// Largest `first` a connection accepts.
    pub max_page_size: u32,
}

impl Default for GraphqlLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: 4 * 1024 * 1024,
            max_depth: 12,
            max_complexity: 2_000,
            max_page_size: 100,
        }
    }
}

/// The whole configuration of a Billfold server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `development` or `production`.
    pub mode: Mode,
    /// Address and port `billfold serve` listens on.
    pub listen: SocketAddr,
    /// Where users reach the portal (`https://billing.example.com`), for links in e-mails; by
    /// default `http://<listen>`.
    pub public_url: Option<String>,
    /// Database URL: `sqlite://…` or `postgres://…`; by default the SQLite file
    /// `<data_dir>/billfold.db`. Redacted in logs: it may hold a password.
    pub database_url: Option<Secret>,
    /// Directory for the SQLite database and the generated development signing key.
    pub data_dir: PathBuf,
    /// Seed the demo organisations and logins when the database has no users yet.
    /// Defaults to on in development and off in production.
    pub seed_demo: Option<bool>,
    /// With `seed_demo`, start the demo subscriptions months back and bill every period since,
    /// so a first start shows an invoice history (default on).
    pub seed_demo_history: bool,
    /// `pretty` or `json` logs. The level comes from `RUST_LOG` (default `info`).
    pub log_format: LogFormat,
    /// Token settings.
    pub jwt: JwtConfig,
    /// GraphQL request limits.
    pub graphql: GraphqlLimits,
    /// The billing scheduler of `billfold serve`.
    pub billing: BillingSchedule,
    /// The operator's details printed on every document.
    pub operator: Operator,
    /// Where documents are stored.
    pub storage: Storage,
    /// How e-mail is sent.
    pub mail: Mail,
    /// How payments are collected.
    pub payments: Payments,
}

/// When `billfold serve` bills due subscription periods by itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BillingSchedule {
    /// Seconds between two runs, the first at start; 0 turns the scheduler off (bill with
    /// `billfold bill` instead).
    pub run_every_seconds: u64,
    /// Refuse customers' license additions while they have an overdue invoice (open past its
    /// due date); removals and staff changes go on. Off by default.
    pub refuse_additions_when_overdue: bool,
    /// What invoice numbers start with (`INV` in `INV-2026-000042`): 1 to 12 of `A`–`Z`,
    /// `0`–`9` and inner `-`. Changing it changes only how later numbers print: the yearly
    /// count goes on (see `services::invoices::numbering`).
    pub invoice_number_prefix: NumberPrefix,
    /// What credit note numbers start with (`CN`); the same rules, and it must differ from
    /// `invoice_number_prefix`, whose numbers are counted apart.
    pub credit_note_number_prefix: NumberPrefix,
}

impl Default for BillingSchedule {
    fn default() -> Self {
        Self {
            run_every_seconds: 3600,
            refuse_additions_when_overdue: false,
            invoice_number_prefix: NumberPrefix::invoice_default(),
            credit_note_number_prefix: NumberPrefix::credit_note_default(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            mode: Mode::Development,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            database_url: None,
            data_dir: PathBuf::from("data"),
            seed_demo: None,
            seed_demo_history: true,
            log_format: LogFormat::Pretty,
            jwt: JwtConfig::default(),
            graphql: GraphqlLimits::default(),
            billing: BillingSchedule::default(),
            operator: Operator::default(),
            storage: Storage::default(),
            mail: Mail::default(),
            payments: Payments::default(),
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file or an environment variable could not be read into the typed configuration.
    #[error("invalid configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    /// Production mode needs an explicit signing key.
    #[error(
        "production mode requires an explicit JWT key: set BILLFOLD_JWT__SECRET (32+ bytes) or \
         BILLFOLD_JWT__PRIVATE_KEY_FILE and BILLFOLD_JWT__PUBLIC_KEY_FILE"
    )]
    MissingProductionKey,
    /// A setting has a value outside what it accepts.
    #[error("invalid setting `{setting}`: {reason}")]
    BadSetting {
        /// The setting's name as written in the file.
        setting: &'static str,
        /// Why it is refused.
        reason: String,
    },
}

impl Config {
    /// Reads the configuration: defaults, then the TOML file (`BILLFOLD_CONFIG` or
    /// `billfold.toml` when present), then `BILLFOLD_*` variables (`__` separates sections,
    /// e.g. `BILLFOLD_JWT__SECRET`), then `DATABASE_URL`.
    pub fn load() -> Result<Self, ConfigError> {
        let file = std::env::var_os("BILLFOLD_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        Self::figment(&file)
            .extract::<Self>()
            .map_err(|e| ConfigError::Invalid(Box::new(e)))
            .and_then(Self::validated)
    }

    fn figment(file: &Path) -> Figment {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("BILLFOLD_").ignore(&["CONFIG"]).split("__"))
            .merge(Env::raw().only(&["DATABASE_URL"]))
    }

    /// Checks the rules that span settings. Called by [`Config::load`]; tests that build a
    /// `Config` by hand call it too.
    pub fn validated(self) -> Result<Self, ConfigError> {
        if self.mode == Mode::Production && !self.jwt.has_explicit_key() {
            return Err(ConfigError::MissingProductionKey);
        }
        if let Some(secret) = &self.jwt.secret
            && secret.expose().len() < 32
        {
            return Err(ConfigError::BadSetting {
                setting: "jwt.secret",
                reason: "must be at least 32 bytes".into(),
            });
        }
        if self.jwt.private_key_file.is_some() != self.jwt.public_key_file.is_some() {
            return Err(ConfigError::BadSetting {
                setting: "jwt.private_key_file",
                reason: "set both private_key_file and public_key_file, or neither".into(),
            });
        }
        if self.jwt.ttl_seconds == 0 || self.jwt.ttl_seconds > 30 * 24 * 3600 {
            return Err(ConfigError::BadSetting {
                setting: "jwt.ttl_seconds",
                reason: "must be between 1 second and 30 days".into(),
            });
        }
        if self.mode == Mode::Production && self.seed_demo == Some(true) {
            return Err(ConfigError::BadSetting {
                setting: "seed_demo",
                reason: "demo logins with a published password are refused in production".into(),
            });
        }
        if self.billing.invoice_number_prefix == self.billing.credit_note_number_prefix {
            return Err(ConfigError::BadSetting {
                setting: "billing.credit_note_number_prefix",
                reason: format!(
                    "must differ from billing.invoice_number_prefix ({}): the two are counted \
                     apart, so one prefix would print an invoice's and a credit note's number \
                     alike",
                    self.billing.invoice_number_prefix
                ),
            });
        }
        self.validate_documents_and_mail()?;
        if self.graphql.max_page_size == 0 {
            return Err(ConfigError::BadSetting {
                setting: "graphql.max_page_size",
                reason: "must be at least 1".into(),
            });
        }
        let retries = &self.payments.retry_days;
        if retries.len() > 10 || retries.iter().any(|d| !(1..=365).contains(d)) {
            return Err(ConfigError::BadSetting {
                setting: "payments.retry_days",
                reason: "at most 10 retries, each 1 to 365 days after the previous failure".into(),
            });
        }
        if self.payments.attempt_lease_seconds == 0 {
            return Err(ConfigError::BadSetting {
                setting: "payments.attempt_lease_seconds",
                reason: "must be at least 1".into(),
            });
        }
        if !(1..=24 * 30).contains(&self.payments.authentication_expiry_hours) {
            return Err(ConfigError::BadSetting {
                setting: "payments.authentication_expiry_hours",
                reason: "1 to 720 hours (30 days)".into(),
            });
        }
        if self.payments.processor == ProcessorKind::Stripe {
            self.validate_stripe()?;
        }
        Ok(self)
    }

    /// The database URL to connect to.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("billfold.db").display()
            ),
        }
    }

    /// With `payments.processor = "stripe"`: all three keys, each of the kind Stripe issues.
    fn validate_stripe(&self) -> Result<(), ConfigError> {
        let stripe = &self.payments.stripe;
        let missing = |setting: &'static str, prefixes: &str| ConfigError::BadSetting {
            setting,
            reason: format!(
                "required with payments.processor = \"stripe\": the key starting {prefixes} \
                 from Stripe's dashboard"
            ),
        };
        let has = |value: Option<&str>, prefixes: &[&str]| {
            value.is_some_and(|v| prefixes.iter().any(|p| v.starts_with(p)) && v.len() > 8)
        };
        if !has(
            stripe.secret_key.as_ref().map(Secret::expose),
            &["sk_", "rk_"],
        ) {
            return Err(missing("payments.stripe.secret_key", "sk_ or rk_"));
        }
        if !has(stripe.publishable_key.as_deref(), &["pk_"]) {
            return Err(missing("payments.stripe.publishable_key", "pk_"));
        }
        if !has(
            stripe.webhook_secret.as_ref().map(Secret::expose),
            &["whsec_"],
        ) {
            return Err(missing("payments.stripe.webhook_secret", "whsec_"));
        }
        if let Some(base) = &stripe.api_base
            && !(base.starts_with("https://") || base.starts_with("http://"))
        {
            return Err(ConfigError::BadSetting {
                setting: "payments.stripe.api_base",
                reason: "must be an http(s) URL".into(),
            });
        }
        Ok(())
    }

    /// The settings of documents and mail that must hold before anything is sent.
    fn validate_documents_and_mail(&self) -> Result<(), ConfigError> {
        let bad = |setting: &'static str, reason: &str| {
            Err(ConfigError::BadSetting {
                setting,
                reason: reason.into(),
            })
        };
        if self.operator.name.trim().is_empty() {
            return bad(
                "operator.name",
                "must not be empty: it is printed on every invoice",
            );
        }
        if !self.operator.email.contains('@') {
            return bad("operator.email", "must be an e-mail address");
        }
        if self.storage.backend == StorageBackend::S3 && self.storage.s3.bucket.is_empty() {
            return bad(
                "storage.s3.bucket",
                "must name the bucket of the s3 backend",
            );
        }
        if self.mail.max_attempts == 0 {
            return bad("mail.max_attempts", "must be at least 1");
        }
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp.host.trim().is_empty() {
            return bad("mail.smtp.host", "must name the SMTP server");
        }
        if self.mail.smtp.username.is_some() != self.mail.smtp.password.is_some() {
            return bad(
                "mail.smtp.username",
                "set both username and password, or neither",
            );
        }
        if self.mail.transport == MailTransport::Smtp
            && self.mail.smtp.security == SmtpSecurity::None
            && self.mail.smtp.password.is_some()
        {
            return bad(
                "mail.smtp.security",
                "credentials are never sent over an unencrypted connection: use starttls or tls",
            );
        }
        Ok(())
    }

    /// Where users reach the portal, without a trailing `/`.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// The directory of the local document store.
    pub fn documents_dir(&self) -> std::path::PathBuf {
        self.storage
            .dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("documents"))
    }

    /// The directory of the `file` mail transport.
    pub fn outbox_dir(&self) -> std::path::PathBuf {
        self.mail
            .outbox_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("outbox"))
    }

    /// Whether demo data is seeded into an empty database.
    pub fn seeds_demo(&self) -> bool {
        self.seed_demo.unwrap_or(self.mode == Mode::Development)
    }

    /// Whether this is production mode.
    pub fn is_production(&self) -> bool {
        self.mode == Mode::Production
    }
}

impl JwtConfig {
    /// Whether a key was configured rather than generated.
    pub fn has_explicit_key(&self) -> bool {
        self.secret.is_some() || self.private_key_file.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_run_in_development_on_sqlite() {
        let config = Config::default().validated().expect("defaults are valid");
        assert_eq!(config.mode, Mode::Development);
        assert_eq!(config.database_url(), "sqlite://data/billfold.db?mode=rwc");
        assert!(config.seeds_demo());
    }

    #[test]
    fn production_refuses_to_start_without_a_key() {
        let config = Config {
            mode: Mode::Production,
            ..Config::default()
        };
        assert!(matches!(
            config.validated(),
            Err(ConfigError::MissingProductionKey)
        ));
    }

    #[test]
    fn production_refuses_demo_data() {
        let mut config = Config {
            mode: Mode::Production,
            seed_demo: Some(true),
            ..Config::default()
        };
        config.jwt.secret = Some(Secret::new("k".repeat(32)));
        assert!(matches!(
            config.validated(),
            Err(ConfigError::BadSetting {
                setting: "seed_demo",
                ..
            })
        ));
    }

    #[test]
    fn short_secrets_are_refused() {
        let mut config = Config::default();
        config.jwt.secret = Some(Secret::new("short"));
        assert!(matches!(
            config.validated(),
            Err(ConfigError::BadSetting {
                setting: "jwt.secret",
                ..
            })
        ));
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let mut config = Config::default();
        config.jwt.secret = Some(Secret::new("a-very-secret-value-that-is-long-enough"));
        let printed = format!("{config:?}");
        assert!(!printed.contains("a-very-secret-value"));
        assert!(printed.contains("[redacted]"));
    }

    #[test]
    // figment's Jail closure returns figment's own (large) error type; not ours to shrink.
    #[allow(clippy::result_large_err)]
    fn file_and_environment_layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "billfold.toml",
                "listen = \"0.0.0.0:9000\"\n[jwt]\nttl_seconds = 60\n",
            )?;
            jail.set_env("BILLFOLD_JWT__TTL_SECONDS", "120");
            jail.set_env("DATABASE_URL", "postgres://db/billfold");
            let config: Config = Config::figment(Path::new("billfold.toml")).extract()?;
            assert_eq!(config.listen.port(), 9000);
            assert_eq!(config.jwt.ttl_seconds, 120);
            assert_eq!(config.database_url(), "postgres://db/billfold");
            assert!(
                !format!("{config:?}").contains("postgres://"),
                "URL redacted"
            );
            Ok(())
        });
    }

    #[test]
    // figment's Jail closure returns figment's own (large) error type; not ours to shrink.
    #[allow(clippy::result_large_err)]
    fn stripe_keys_load_from_file_and_environment_and_print_redacted() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "billfold.toml",
                "[payments]\nprocessor = \"stripe\"\n[payments.stripe]\n\
                 publishable_key = \"pk_test_publishable\"\n\
                 webhook_secret = \"whsec_from_the_file_0123\"\n",
            )?;
            jail.set_env(
                "BILLFOLD_PAYMENTS__STRIPE__SECRET_KEY",
                "sk_test_from_the_env_4567",
            );
            let config: Config = Config::figment(Path::new("billfold.toml")).extract()?;
            let config = config.validated().expect("a complete Stripe configuration");
            let stripe = &config.payments.stripe;
            assert_eq!(config.payments.processor, ProcessorKind::Stripe);
            assert_eq!(
                stripe.secret_key.as_ref().map(Secret::expose),
                Some("sk_test_from_the_env_4567")
            );
            let printed = format!("{config:?}");
            assert!(!printed.contains("sk_test_from"), "{printed}");
            assert!(!printed.contains("whsec_from"), "{printed}");
            assert!(printed.contains("pk_test_publishable"), "public by design");
            Ok(())
        });
    }

    #[test]
    fn stripe_without_its_keys_is_refused_naming_the_key() {
        let mut config = Config::default();
        config.payments.processor = ProcessorKind::Stripe;
        config.payments.stripe = StripeSettings {
            secret_key: Some(Secret::new("sk_test_0123456789")),
            publishable_key: Some("pk_test_0123456789".into()),
            webhook_secret: Some(Secret::new("whsec_0123456789")),
            api_base: None,
        };
        assert!(config.clone().validated().is_ok());
        let mut no_webhook = config.clone();
        no_webhook.payments.stripe.webhook_secret = None;
        assert!(matches!(
            no_webhook.validated(),
            Err(ConfigError::BadSetting {
                setting: "payments.stripe.webhook_secret",
                ..
            })
        ));
        let mut publishable_as_secret = config;
        publishable_as_secret.payments.stripe.secret_key = Some(Secret::new("pk_test_0123456789"));
        assert!(matches!(
            publishable_as_secret.validated(),
            Err(ConfigError::BadSetting {
                setting: "payments.stripe.secret_key",
                ..
            })
        ));
    }
}
