// Each host's own words, where the Hosting view says something about it; the view and its
// cards are otherwise the same for every host (the engine's `steps::hosting::host`).
import type { CloudflareLink, Hosting, Project } from "./bindings";

export type HostWords = {
  name: string;
  /** What the host calls what it serves. */
  project: string;
  /** Its contexts other than production. */
  others: string;
  tokenKind: "vercel-token" | "netlify-token" | "render-api-key" | "cloudflare-token";
  tokenLabel: string;
  tokenHint: string;
  tokenUrl: string;
  /** Why a domain on the project is not verified yet. */
  unverified: (domain: string) => string;
};

export const hosts: Record<Hosting, HostWords> = {
  vercel: {
    name: "Vercel",
    project: "project",
    others: "preview and development",
    tokenKind: "vercel-token",
    tokenLabel: "Vercel access token",
    tokenHint: "Create one at vercel.com/account/tokens, scoped to the team that owns the project. It is kept in your system keychain.",
    tokenUrl: "https://vercel.com/account/tokens",
    unverified: (domain) => `Vercel asks for proof that you own ${domain}. Add this record at your DNS host, then verify.`,
  },
  netlify: {
    name: "Netlify",
    project: "site",
    others: "deploy previews, branch deploys and dev",
    tokenKind: "netlify-token",
    tokenLabel: "Netlify personal access token",
    tokenHint: "Create one in Netlify under User settings → Applications → Personal access tokens (it starts with nfp_), as a member of the team that owns the site. It is kept in your system keychain.",
    tokenUrl: "https://app.netlify.com/user/applications#personal-access-tokens",
    unverified: (domain) =>
      `Netlify issues ${domain}'s certificate once the domain points to the site. Add this record at your DNS host, wait for it to propagate, then verify.`,
  },
  render: {
    name: "Render",
    project: "service",
    others: "preview instances",
    tokenKind: "render-api-key",
    tokenLabel: "Render API key",
    tokenHint: "Create one in Render under Account settings → API Keys (it starts with rnd_), as a member of the workspace that owns the service. It is kept in your system keychain.",
    tokenUrl: "https://dashboard.render.com/u/settings#api-keys",
    unverified: (domain) =>
      `Render verifies ${domain} once it points to the service. Render's API names the service's address but no records: point the domain to it at your DNS host, wait for it to propagate, then verify.`,
  },
  "cloudflare-pages": {
    name: "Cloudflare Pages",
    project: "project",
    others: "preview",
    tokenKind: "cloudflare-token",
    tokenLabel: "Cloudflare API token",
    tokenHint: "Create one in Cloudflare under My Profile → API Tokens, with Cloudflare Pages: Edit for the project's account (and Zone: Read, DNS: Edit if Golive writes your records). The same token serves the DNS step. It is kept in your system keychain.",
    tokenUrl: "https://dash.cloudflare.com/profile/api-tokens",
    unverified: (domain) =>
      `Cloudflare activates ${domain} once it is validated: add these records at your DNS host, wait for them to propagate, then verify.`,
  },
  "cloudflare-workers": {
    name: "Cloudflare Workers",
    project: "Worker",
    others: "its other environments (separate Workers, not touched)",
    tokenKind: "cloudflare-token",
    tokenLabel: "Cloudflare API token",
    tokenHint: "Create one in Cloudflare under My Profile → API Tokens, with Workers Scripts: Edit for the Worker's account, and Zone: Read for the domain's zone (a Worker's custom domain is attached in its zone). The same token serves the DNS step. It is kept in your system keychain.",
    tokenUrl: "https://dash.cloudflare.com/profile/api-tokens",
    unverified: (domain) =>
      `Cloudflare serves ${domain} once it is attached to the Worker, which needs its zone in the Worker's account.`,
  },
};

/** The Cloudflare link when it names what the project is hosted on now (the engine's
 *  `Project::cloudflare_link`): a Pages project's name is not a Worker's. */
export function cloudflareLink(p: Project): CloudflareLink | undefined {
  const l = p.cloudflareProject;
  return l && (!l.kind || l.kind === p.hosting) ? l : undefined;
}
