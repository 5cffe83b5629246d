// mi.mjs asks @azure/identity's ManagedIdentityCredential for tokens, one
// per case, and prints the results as one JSON array on standard output.
// The cases come from MIPLAY_JS_CASES:
//   [{"name": "...", "options": {"clientId": "..."} | {} , "resource": "https://..."}]
// The environment tells the SDK where the endpoint is, as miplay emulate
// prints it: AZURE_POD_IDENTITY_AUTHORITY_HOST (IMDS), or IDENTITY_ENDPOINT
// and IDENTITY_HEADER (App Service).
import { ManagedIdentityCredential } from "@azure/identity";

const cases = JSON.parse(process.env.MIPLAY_JS_CASES ?? "[]");
const results = [];
for (const c of cases) {
  const cred = new ManagedIdentityCredential(c.options ?? {});
  try {
    const tok = await cred.getToken(c.resource + "/.default");
    results.push({ name: c.name, token: tok.token, expiresOnTimestamp: tok.expiresOnTimestamp });
  } catch (err) {
    results.push({ name: c.name, errorName: err.name, error: String(err.message) });
  }
}
process.stdout.write(JSON.stringify(results) + "\n");
