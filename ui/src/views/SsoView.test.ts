import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, test } from "vitest";
import SsoView from "./SsoView.svelte";
import type { Project, Provider, ProviderState, SsoOverview } from "../lib/bindings";

const project: Project = { id: "p1", name: "Q", domain: "quillmate.test", hosting: "vercel", framework: "nextjs", clerkChecklist: [] };
const provider = (id: Provider["id"], name: string): Provider => ({
  id, name, consoleUrl: `https://example.test/${id}`, consoleSteps: `Steps for ${name}.`, clientIdExample: "", secretLabel: "Client secret",
  warnings: id === "google" ? ["Publish the OAuth consent screen"] : [], needsAppleKey: id === "apple", secretExpires: id === "microsoft",
});
const state = (id: Provider["id"], name: string, dev: boolean): ProviderState => ({
  provider: provider(id, name), enabledInDevelopment: dev, enabledInProduction: false, secretSet: false,
});
const overview: SsoOverview = {
  redirectUri: "https://clerk.quillmate.test/v1/oauth_callback",
  origins: ["https://quillmate.test", "https://www.quillmate.test"],
  providers: [state("apple", "Apple", false), state("google", "Google", true), state("github", "GitHub", true)],
  notes: [],
};

test("the console values come with copy buttons and providers on in development come first", async () => {
  mockIPC((cmd) => (cmd === "sso_overview" ? overview : null));
  render(SsoView, { project, onChanged: () => {} });
  const values = await screen.findByTestId("sso-values");
  expect(within(values).getByText("https://clerk.quillmate.test/v1/oauth_callback")).toBeInTheDocument();
  expect(within(values).getByRole("button", { name: "Copy redirect URI" })).toBeInTheDocument();
  expect(within(values).getByRole("button", { name: "Copy origin https://www.quillmate.test" })).toBeInTheDocument();
  const headings = screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);
  expect(headings.indexOf("Google")).toBeLessThan(headings.indexOf("Apple"));
  expect(screen.getByText("Publish the OAuth consent screen")).toBeInTheDocument();
  expect(screen.getByTestId("sso-other")).toHaveTextContent("register the redirect URI and origins above");
});

test("credentials are saved masked, then probed: accepted, rejected, and a redirect to register", async () => {
  const forms: unknown[] = [];
  const verdicts = [
    { verdict: "accepted", status: 400, error: "invalid_grant", message: "invalid_grant: Malformed auth code." },
    { verdict: "rejected", status: 401, error: "invalid_client", message: "invalid_client: Unauthorized" },
    { verdict: "redirect-mismatch", status: 400, error: "redirect_uri_mismatch", message: "redirect_uri_mismatch: Bad Request" },
  ];
  mockIPC((cmd, args) => {
    if (cmd === "sso_overview") return overview;
    if (cmd === "sso_save") {
      forms.push((args as { form: unknown }).form);
      return { ...project, oauth: { google: { clientId: "1-a.apps.googleusercontent.com" } } };
    }
    if (cmd === "sso_probe") return verdicts.shift();
  });
  render(SsoView, { project, onChanged: () => {} });
  const card = await screen.findByTestId("sso-google");
  const secret = within(card).getByLabelText("Client secret");
  expect(secret).toHaveAttribute("type", "password");
  await userEvent.type(within(card).getByLabelText("Client ID"), "1-a.apps.googleusercontent.com");
  await userEvent.type(secret, "GOCSPX-secret");
  await userEvent.click(within(card).getByRole("button", { name: "Save" }));
  expect(forms).toEqual([{ provider: "google", clientId: "1-a.apps.googleusercontent.com", secret: "GOCSPX-secret" }]);
  expect(await within(card).findByText("Credentials saved")).toBeInTheDocument();
  expect(secret).toHaveValue("");
  expect(document.body.innerHTML).not.toContain("GOCSPX-secret");

  const test_ = within(card).getByRole("button", { name: "Test with Google" });
  await userEvent.click(test_);
  expect(await within(card).findByTestId("sso-google-result")).toHaveTextContent("Accepted by Google");
  await userEvent.click(test_);
  expect(await within(card).findByText("Google rejected the client ID or secret.")).toBeInTheDocument();
  await userEvent.click(test_);
  expect(await within(card).findByText(/does not know Clerk's callback yet/)).toBeInTheDocument();
  expect(within(card).getByRole("button", { name: "Copy redirect URI" })).toBeInTheDocument();
});

test("a wrong paste is explained, and without a platform key the dashboard values are shown", async () => {
  mockIPC((cmd) => {
    if (cmd === "sso_overview") return { ...overview, providers: [{ ...state("google", "Google", true), secretSet: true, client: { clientId: "1-a.apps.googleusercontent.com" } }] };
    if (cmd === "sso_save") throw { code: "oauth_swapped", message: "The client ID and the secret look swapped: paste each into its own field." };
    if (cmd === "sso_push") throw { code: "platform_key_missing", message: "Without a Clerk platform key, paste the values into the Clerk dashboard." };
  });
  render(SsoView, { project, onChanged: () => {} });
  const card = await screen.findByTestId("sso-google");
  await userEvent.type(within(card).getByLabelText("Client secret"), "1-a.apps.googleusercontent.com");
  await userEvent.click(within(card).getByRole("button", { name: "Save" }));
  expect(await within(card).findByRole("alert")).toHaveTextContent("look swapped");
  await userEvent.click(within(card).getByRole("button", { name: "Set in Clerk" }));
  expect(await within(card).findByText(/Configure → SSO connections → Google/)).toBeInTheDocument();
  expect(within(card).getByRole("button", { name: "Copy Google client ID" })).toBeInTheDocument();
});

test("an instance whose settings could not be read is said, not guessed", async () => {
  const note = "Could not read which providers the production instance has on (clerk.quillmate.test: it answered HTTP 503); try again in a minute.";
  mockIPC((cmd) => {
    if (cmd === "sso_overview") return { ...overview, notes: [note] };
    if (cmd === "secret_status") return { kind: "oauth-google", set: false };
  });
  render(SsoView, { project, onChanged: () => {} });
  expect(await screen.findByTestId("sso-note")).toHaveTextContent(note);
});
