//! Slowing down password guessing. Failed sign-ins are counted per account and per client
//! address; past a few free failures each one blocks further attempts for a delay that doubles,
//! up to a cap. The account's cap is short, so a stranger who hammers the admin's name can
//! delay the real admin by at most a minute; an address's cap is long, since that is the
//! guesser's own. Counts live in memory: a restart forgets them, which errs toward letting
//! people in.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::state::AppState;

/// How hard sign-in failures are slowed down; a setting so tests can use short delays.
#[derive(Debug, Clone)]
pub struct ThrottlePolicy {
    /// Failures allowed before any delay (typos happen).
    pub free_failures: u32,
    /// The first delay; each further failure doubles it.
    pub base_delay: Duration,
    pub max_delay_per_account: Duration,
    pub max_delay_per_address: Duration,
    /// A key with no failure for this long starts again from zero.
    pub forget_after: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            free_failures: 5,
            base_delay: Duration::from_secs(1),
            max_delay_per_account: Duration::from_secs(60),
            max_delay_per_address: Duration::from_secs(15 * 60),
            forget_after: Duration::from_secs(60 * 60),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    blocked_until: Instant,
}

/// Entries kept before old ones are swept out, so a flood of names cannot grow memory freely.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
pub struct SignInThrottle {
    policy: ThrottlePolicy,
    failures: Mutex<HashMap<Key, Failures>>,
}

impl SignInThrottle {
    pub fn new(policy: ThrottlePolicy) -> Self {
        Self {
            policy,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, address: IpAddr) -> [Key; 2] {
        [Key::Account(account.to_lowercase()), Key::Address(address)]
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        // The map holds counters only; one left by a panicking thread is still usable.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Claims one sign-in attempt for this account and address. While they must wait, the
    /// answer is how long. Otherwise the attempt is counted as a failure at once, before the
    /// password is checked, so attempts sent in parallel count exactly like attempts sent one
    /// after another (checking first and counting after let a burst through whole);
    /// `succeeded` takes the count back.
    pub fn begin(&self, account: &str, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let policy = &self.policy;
        let mut failures = self.lock();
        let keys = Self::keys(account, address);
        let wait = keys
            .iter()
            .filter_map(|key| failures.get(key))
            .map(|f| f.blocked_until.saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, f| {
                f.blocked_until > now || now.duration_since(f.last) < policy.forget_after
            });
        }
        for key in keys {
            let cap = match key {
                Key::Account(_) => policy.max_delay_per_account,
                Key::Address(_) => policy.max_delay_per_address,
            };
            let entry = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
                blocked_until: now,
            });
            if now.duration_since(entry.last) >= policy.forget_after {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
            if let Some(over) = entry.count.checked_sub(policy.free_failures + 1) {
                let delay = policy
                    .base_delay
                    .saturating_mul(2_u32.saturating_pow(over.min(31)))
                    .min(cap);
                entry.blocked_until = now + delay;
            }
        }
        Ok(())
    }

    /// A successful sign-in clears the account's and the address's failures.
    pub fn succeeded(&self, account: &str, address: IpAddr) {
        let mut failures = self.lock();
        for key in Self::keys(account, address) {
            failures.remove(&key);
        }
    }
}

/// The client's address: the socket peer, or, when the peer is the trusted reverse proxy, the
/// address that proxy appended to `X-Forwarded-For`. IPv6 clients are counted by their /64,
/// which one household or server usually holds whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
        let forwarded = || {
            parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .last()
                .and_then(|hop| hop.trim().parse::<IpAddr>().ok())
        };
        let client = match state.config.trusted_proxy {
            Some(proxy) if proxy == peer => forwarded().unwrap_or(peer),
            _ => peer,
        };
        Ok(ClientAddr(network_of(client)))
    }
}

fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy {
            free_failures: 2,
            base_delay: Duration::from_secs(1),
            max_delay_per_account: Duration::from_secs(4),
            max_delay_per_address: Duration::from_secs(100),
            forget_after: Duration::from_secs(1000),
        }
    }

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const OTHER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

    /// How long a new attempt would have to wait, without making one.
    fn wait(
        throttle: &SignInThrottle,
        account: &str,
        address: IpAddr,
        now: Instant,
    ) -> Option<Duration> {
        let failures = throttle.lock();
        SignInThrottle::keys(account, address)
            .iter()
            .filter_map(|key| failures.get(key))
            .map(|f| f.blocked_until.saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max()
    }

    #[test]
    fn delays_start_after_the_free_failures_and_double() {
        let throttle = SignInThrottle::new(policy());
        let t0 = Instant::now();
        assert_eq!(throttle.begin("admin", HOME, t0), Ok(()));
        assert_eq!(throttle.begin("admin", HOME, t0), Ok(()));
        assert_eq!(
            wait(&throttle, "admin", HOME, t0),
            None,
            "two free failures"
        );
        assert_eq!(
            throttle.begin("admin", HOME, t0),
            Ok(()),
            "the third may try"
        );
        assert_eq!(
            throttle.begin("admin", HOME, t0),
            Err(Duration::from_secs(1)),
            "the fourth waits, whether the third has finished or not"
        );
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(throttle.begin("admin", HOME, t1), Ok(()), "the delay lifts");
        assert_eq!(
            throttle.begin("ADMIN", HOME, t1),
            Err(Duration::from_secs(2))
        );
    }

    #[test]
    fn a_burst_gets_no_more_attempts_than_a_patient_guesser() {
        let throttle = std::sync::Arc::new(SignInThrottle::new(policy()));
        let t0 = Instant::now();
        let allowed: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..50)
                .map(|_| scope.spawn(|| throttle.begin("admin", HOME, t0).is_ok()))
                .collect();
            handles
                .into_iter()
                .map(|h| usize::from(h.join().unwrap()))
                .sum()
        });
        assert_eq!(
            allowed, 3,
            "the free failures, then the one that starts the delay"
        );
    }

    #[test]
    fn a_stranger_delays_the_account_briefly_but_themselves_for_long() {
        let throttle = SignInThrottle::new(policy());
        let t0 = Instant::now();
        let mut t = t0;
        for _ in 0..20 {
            // The stranger tries again as soon as each delay lifts.
            if let Err(wait) = throttle.begin("admin", OTHER, t) {
                t += wait;
                throttle.begin("admin", OTHER, t).unwrap();
            }
        }
        assert_eq!(
            wait(&throttle, "admin", HOME, t),
            Some(Duration::from_secs(4)),
            "the account's cap"
        );
        assert_eq!(
            wait(&throttle, "someone-else", OTHER, t),
            Some(Duration::from_secs(100)),
            "the address's cap"
        );
        assert_eq!(
            wait(&throttle, "admin", HOME, t + Duration::from_secs(4)),
            None
        );
    }

    #[test]
    fn success_clears_and_old_failures_are_forgotten() {
        let throttle = SignInThrottle::new(policy());
        let t0 = Instant::now();
        for _ in 0..3 {
            throttle.begin("admin", HOME, t0).unwrap();
        }
        throttle.succeeded("admin", HOME);
        assert_eq!(wait(&throttle, "admin", HOME, t0), None);
        for _ in 0..2 {
            throttle.begin("admin", HOME, t0).unwrap();
        }
        let later = t0 + Duration::from_secs(1000);
        throttle.begin("admin", HOME, later).unwrap();
        assert_eq!(
            wait(&throttle, "admin", HOME, later),
            None,
            "counting restarted"
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(network_of(a), network_of(b));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(network_of(mapped), HOME);
    }
}
