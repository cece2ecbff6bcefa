//! Cloudflare's published edge ranges (cloudflare.com/ips): an A/AAAA answer in them where a
//! CNAME belongs means the record is proxied ("orange cloud"), which stops Clerk from issuing
//! its certificate.

use std::net::IpAddr;

const V4: &[(&str, u8)] = &[
    ("173.245.48.0", 20),
    ("103.21.244.0", 22),
    ("103.22.200.0", 22),
    ("103.31.4.0", 22),
    ("141.101.64.0", 18),
    ("108.162.192.0", 18),
    ("190.93.240.0", 20),
    ("188.114.96.0", 20),
    ("197.234.240.0", 22),
    ("198.41.128.0", 17),
    ("162.158.0.0", 15),
    ("104.16.0.0", 13),
    ("104.24.0.0", 14),
    ("172.64.0.0", 13),
    ("131.0.72.0", 22),
];

const V6: &[(&str, u8)] = &[
    ("2400:cb00::", 32),
    ("2606:4700::", 32),
    ("2803:f800::", 32),
    ("2405:b500::", 32),
    ("2405:8100::", 32),
    ("2a06:98c0::", 29),
    ("2c0f:f248::", 32),
];

pub fn is_cloudflare(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => V4.iter().any(|(net, bits)| {
            let net: std::net::Ipv4Addr = net.parse().unwrap();
            let mask = u32::MAX << (32 - bits);
            u32::from(ip) & mask == u32::from(net) & mask
        }),
        IpAddr::V6(ip) => V6.iter().any(|(net, bits)| {
            let net: std::net::Ipv6Addr = net.parse().unwrap();
            let mask = u128::MAX << (128 - bits);
            u128::from(ip) & mask == u128::from(net) & mask
        }),
    }
}

/// Whether an answer is Cloudflare's edge only (and not empty).
pub fn all_cloudflare(addrs: &[String]) -> bool {
    !addrs.is_empty() && addrs.iter().all(|a| a.parse().is_ok_and(is_cloudflare))
}

#[cfg(test)]
mod tests {
    use super::is_cloudflare;

    #[test]
    fn knows_the_edge_ranges() {
        for ip in [
            "104.16.1.1",
            "172.67.200.3",
            "2606:4700::6810:1",
            "188.114.97.7",
        ] {
            assert!(is_cloudflare(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["76.76.21.21", "8.8.8.8", "2001:db8::1", "104.32.0.1"] {
            assert!(!is_cloudflare(ip.parse().unwrap()), "{ip}");
        }
    }
}
