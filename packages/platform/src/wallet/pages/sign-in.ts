// Sign in and sign up: passwordless, because the sandbox holds no real identities.
import { html, type Markup } from '../../core/html.ts';
import { notice, walletPage } from './layout.ts';

export interface FormState {
  values?: Record<string, string | undefined>;
  error?: { text: string; details?: { field: string; reason: string }[] };
  info?: string;
  /** Where to go after signing in (a /wallet path). */
  next?: string | undefined;
}

function brand(): Markup {
  return html`<div class="wallet-brand">
    <div class="wallet-logo" aria-hidden="true"></div>
    <h1>Wallet</h1>
    <p class="muted">Sandbox account</p>
  </div>`;
}

function messages(state: FormState): Markup {
  return html`${state.info ? notice('info', state.info) : ''}${
    state.error ? notice('error', state.error.text, state.error.details) : ''
  }`;
}

function nextField(next: string | undefined): Markup | '' {
  return next ? html`<input type="hidden" name="next" value="${next}">` : '';
}

function withNext(path: string, next: string | undefined): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function signInPage(now: number, state: FormState = {}): string {
  return walletPage({
    title: 'Sign in',
    now,
    body: html`<section class="wallet-auth">
      ${brand()}
      ${messages(state)}
      <form method="post" action="/wallet/sign-in" class="stack">
        ${nextField(state.next)}
        <label>Email
          <input type="email" name="email" required autocomplete="email" maxlength="254" value="${state.values?.['email'] ?? ''}" autofocus>
        </label>
        <button type="submit" class="button primary block">Sign in</button>
      </form>
      <p class="wallet-auth-alt">No account yet? <a href="${withNext('/wallet/sign-up', state.next)}">Create one</a></p>
      <p class="fineprint">Passwordless sandbox: an email is all it takes, and anyone who knows it can sign in. Use made-up data only.</p>
    </section>`,
  });
}

export function signUpPage(now: number, state: FormState = {}): string {
  const v = state.values ?? {};
  return walletPage({
    title: 'Create account',
    now,
    body: html`<section class="wallet-auth">
      ${brand()}
      ${messages(state)}
      <form method="post" action="/wallet/sign-up" class="stack">
        ${nextField(state.next)}
        <label>Email
          <input type="email" name="email" required autocomplete="email" maxlength="254" value="${v['email'] ?? ''}" autofocus>
        </label>
        <label>Phone <span class="muted">(optional)</span>
          <input type="tel" name="phone" autocomplete="tel" maxlength="32" pattern="[0-9+\\(\\)\\-]+" placeholder="+1(555)0100" value="${v['phone'] ?? ''}">
        </label>
        <label>Country
          <input type="text" name="country" required maxlength="2" minlength="2" pattern="[A-Za-z]{2}" autocomplete="country" value="${v['country'] ?? 'US'}" class="input-short">
        </label>
        <button type="submit" class="button primary block">Create account</button>
      </form>
      <p class="wallet-auth-alt">Already have an account? <a href="${withNext('/wallet', state.next)}">Sign in</a></p>
      <p class="fineprint">Your account gets a first phone, a Galaxy S25 with its own wallet id. Passwordless sandbox: use made-up data only.</p>
    </section>`,
  });
}
