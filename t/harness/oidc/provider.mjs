// OpenID Connect provider for the test stack and the local demo (loopback, plain http).
// Usage: node provider.mjs <config.json>   (the file is written by t/harness/oidc_server.py)
//
// Built on oidc-provider 9 with its in-memory store: everything is lost on restart.
// What it adds to the library defaults, and why:
//  - accounts and clients come from the JSON config;
//  - the dev login page checks the password (the stock one accepts anything);
//  - introspection always reports `aud` (see AUDIENCE below);
//  - a test-only grant type issues a session-less access token for an account;
//  - back-channel logout may POST to loopback (the library refuses special-use IPs).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const TEST_GRANT = 'urn:twake:test:password';
const SCOPE = 'openid email profile';
// oidc-provider only puts `aud` on an access token bound to a resource server, and such a
// token is refused by its userinfo endpoint. The edge needs both, so tokens stay audience-less
// inside the provider and introspection reports this configured audience instead.
const AUDIENCE = config.audience || 'tcalendar';

const log = (msg) => console.log(`${new Date().toISOString()} ${msg}`);

const accounts = new Map(config.accounts.map((a) => [a.sub, a]));
const byLogin = (login) => accounts.get(login)
  || [...accounts.values()].find((a) => a.email.toLowerCase() === String(login).toLowerCase());

async function findAccount(ctx, sub, token) {
  const a = accounts.get(sub);
  if (!a) return undefined;
  return {
    accountId: a.sub,
    async claims(use) {
      return {
        sub: a.sub,
        email: a.email,
        email_verified: true,
        given_name: a.given_name,
        family_name: a.family_name,
        name: `${a.given_name} ${a.family_name}`,
        // Session id of the access token, so the userinfo answer can be tied to a session.
        ...(use === 'userinfo' && token?.sid ? { sid: token.sid } : {}),
      };
    },
  };
}

const clients = config.clients.map((c) => ({
  client_id: c.client_id,
  client_secret: c.client_secret,
  redirect_uris: c.redirect_uris,
  post_logout_redirect_uris: c.post_logout_redirect_uris || [],
  grant_types: c.grant_types || ['authorization_code', TEST_GRANT],
  response_types: ['code'],
  ...(c.backchannel_logout_uri ? {
    backchannel_logout_uri: c.backchannel_logout_uri,
    backchannel_logout_session_required: true, // put `sid` in the logout token
  } : {}),
}));

// A fresh signing key per run: tokens never outlive the process anyway.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'RS256', use: 'sig' };

const provider = new Provider(config.issuer, {
  clients,
  findAccount,
  jwks: { keys: [jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub', 'sid'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  scopes: SCOPE.split(' '),
  // Strict expiry everywhere: by default userinfo still accepts a token 15 s after its `exp`
  // while introspection already says inactive; tests of expiry need one answer.
  clockTolerance: 0,
  features: {
    devInteractions: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    // Lets a client ask for `sid` ({"id_token":{"sid":null}}) even without back-channel logout.
    claimsParameter: { enabled: true },
    // Off: with it on, a `resource` parameter would move `aud` into the token (see AUDIENCE).
    resourceIndicators: { enabled: false },
  },
  ttl: {
    AccessToken: config.access_token_ttl || 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Grant: 14 * 24 * 3600,
    Session: 24 * 3600,
    Interaction: 3600,
  },
  // The library's fetch dispatcher refuses special-use addresses such as 127.0.0.1 (SSRF guard);
  // every endpoint of the test stack is on loopback, so use the plain global dispatcher.
  fetch(url, options) {
    delete options.dispatcher;
    return globalThis.fetch(url, options);
  },
});

// Session-less token for an account (tests only). Parameters: username (email or sub),
// optional password (checked when given), optional ttl in seconds (short-lived tokens).
provider.registerGrantType(TEST_GRANT, async (ctx) => {
  const { username, password, ttl, register } = ctx.oidc.params;
  // Tests may add an account on the fly (JSON {sub, email, given_name, family_name, password}).
  if (register) {
    const added = JSON.parse(register);
    if (!added.sub || !added.email) throw new errors.InvalidRequest('register needs sub and email');
    accounts.set(added.sub, added);
  }
  const account = username && byLogin(username);
  if (!account || (password !== undefined && password !== account.password)) {
    throw new errors.InvalidGrant('unknown user or wrong password');
  }
  let expiresIn;
  if (ttl !== undefined) {
    expiresIn = Number(ttl);
    if (!Number.isInteger(expiresIn) || expiresIn < 1) throw new errors.InvalidRequest('ttl must be a positive integer');
  }
  const { client } = ctx.oidc;
  const grant = new provider.Grant({ accountId: account.sub, clientId: client.clientId });
  grant.addOIDCScope(SCOPE);
  const at = new provider.AccessToken({
    accountId: account.sub, client, grantId: await grant.save(), gty: TEST_GRANT, scope: SCOPE, expiresIn,
  });
  ctx.body = {
    access_token: await at.save(), token_type: 'Bearer', expires_in: at.expiration, scope: SCOPE,
  };
}, ['username', 'password', 'ttl', 'register']);

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

// One log line per request; also the introspection `aud` (see AUDIENCE).
provider.use(async (ctx, next) => {
  const start = Date.now();
  try {
    await next();
    if (ctx.oidc?.route === 'introspection' && ctx.body?.active && ctx.body.aud === undefined) {
      ctx.body.aud = AUDIENCE;
    }
  } finally {
    log(`${ctx.method} ${ctx.path} ${ctx.status} ${Date.now() - start}ms`);
  }
});

// The stock dev login page accepts any login and no password. Handle its form here instead:
// the login is an email or a sub, the password must match, the session gets the sub.
provider.use(async (ctx, next) => {
  const m = ctx.method === 'POST' && ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!m) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.prompt.name !== 'login') return next(); // consent: stock handler
  const form = await readForm(ctx.req);
  const account = byLogin(form.get('login'));
  if (!account || form.get('password') !== account.password) {
    ctx.status = 401;
    ctx.type = 'html';
    ctx.body = `<p>Wrong email or password. <a href="/interaction/${encodeURIComponent(m[1])}">Try again</a></p>`;
    return undefined;
  }
  await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account.sub } },
    { mergeWithLastSubmission: false });
  ctx.respond = false; // interactionFinished has written the 303 redirect itself
  return undefined;
});

provider.on('backchannel.success', (ctx, client, sub, sid) => log(`back-channel logout sent to ${client.clientId} sub=${sub} sid=${sid}`));
provider.on('backchannel.error', (ctx, err, client) => log(`back-channel logout to ${client.clientId} failed: ${err.message}`));
provider.on('server_error', (ctx, err) => log(`server error: ${err.stack}`));
provider.on('grant.error', (ctx, err) => log(`grant error: ${err.message}`));

const server = http.createServer(provider.callback());
server.listen(config.port, '127.0.0.1', () => log(`oidc-provider ${config.issuer} listening`));

// No state worth saving: exit at once, without waiting for keep-alive connections to close.
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
