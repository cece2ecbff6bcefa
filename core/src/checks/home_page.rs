//! The live site's home page, fetched once per run for the checks that read it (the key it
//! serves, its Content Security Policy), as a browser reaches it: following the site's
//! redirects within the domain (an apex that sends visitors to `www.`, say).

use url::Url;

use crate::context::RunContext;
use crate::https_probe::HttpsResponse;

/// The page, and where it was found in the end.
pub struct HomePage {
    pub url: Url,
    pub page: HttpsResponse,
}

/// The page at `https://<domain>/`, following redirects within the domain (and `www.`).
pub(super) async fn fetch(ctx: &RunContext) -> Result<HomePage, String> {
    let hosts = [ctx.domain.clone(), format!("www.{}", ctx.domain)];
    let mut url = Url::parse(&format!("https://{}/", ctx.domain)).map_err(|e| e.to_string())?;
    for _ in 0..5 {
        let host = url.host_str().unwrap_or_default().to_string();
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let page = ctx
            .prober
            .get(&host, &path, &[("accept", "text/html")])
            .await
            .map_err(|e| format!("{url} could not be fetched: {e}"))?;
        let location = page
            .headers
            .get("location")
            .and_then(|l| l.to_str().ok())
            .filter(|_| (300..400).contains(&page.status));
        let Some(location) = location else {
            return Ok(HomePage { url, page });
        };
        let next = url
            .join(location)
            .map_err(|_| format!("{url} redirects to {location}, which is not a URL"))?;
        if next.scheme() != "https" || !hosts.iter().any(|h| Some(h.as_str()) == next.host_str()) {
            return Err(format!(
                "{url} redirects to {next}, outside the site, so there is no page of it to read"
            ));
        }
        url = next;
    }
    Err(format!("{url} redirects more than 5 times"))
}
