// A local OpenID provider for the tests (the npm package oidc-provider), on loopback only.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG.json: {"port": 0, "client": {"client_id", "client_secret", "redirect_uris": [...]},
//               "accounts": {"<sub>": {<claims>}}}
// It prints one line, {"issuer": "http://127.0.0.1:PORT"}, when it listens. The accounts are read
// again from the file at every login, so a test may change a person's claims between logins.
//
// Logging in: the login page (/interaction/<uid>) takes ?login=<sub> and finishes the login and
// the consent at once, as a person who typed their name and password at the provider would.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const file = process.argv[2];
const read = () => JSON.parse(readFileSync(file, 'utf8'));
const config = read();
const HOST = '127.0.0.1';

const server = (await import('node:http')).createServer();
await new Promise((resolve) => server.listen(config.port || 0, HOST, resolve));
const issuer = `http://${HOST}:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    grant_types: ['authorization_code'], response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic', ...config.client,
  }],
  claims: {
    openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'],
    // roles and municipalities come with the ID token's standard scopes, as Entra ID sends app roles
    traeningsguiden: ['roles', 'kommuner', 'groups'],
  },
  scopes: ['openid', 'profile', 'email', 'traeningsguiden'],
  conformIdTokenClaims: false, // the claims go into the ID token too, not only the user info
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['tests-only-cookie-key-0123456789'] },
  async findAccount(ctx, sub) {
    const claims = read().accounts[sub];
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
});

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const login = ctx.query.login;
  if (!login || !read().accounts[login]) {
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = '<!doctype html><title>Log ind</title><p>Test-udbyder: tilføj ?login=BRUGER</p>';
    return undefined;
  }
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  grant.addOIDCClaims(['roles', 'kommuner', 'groups', 'preferred_username', 'email', 'name']);
  const grantId = await grant.save();
  return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: login }, consent: { grantId } },
    { mergeWithLastSubmission: false });
});

server.on('request', provider.callback());
process.stdout.write(JSON.stringify({ issuer }) + '\n');
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
