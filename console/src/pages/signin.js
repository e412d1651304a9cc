// Sign-in: a user's name and password (POST /v2/users/login), or an API token alone.
import { api, session } from '../api.js';
import { html, render } from '../html.js';

export function signInPage(signedIn) {
  return {
    mount(el) {
      render(el, html`
        <section class="card narrow">
          <h1>Sign in to AmpCMS</h1>
          <form id="sign-in">
            <label for="name">User name</label>
            <input id="name" name="name" autocomplete="username" placeholder="admin">
            <label for="password">Password or API token</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <p class="hint">Leave the name empty to sign in with an API token (first start: <code>data/bootstrap-token</code>).</p>
            <button type="submit">Sign in</button>
            <p id="sign-in-error" class="error" role="alert"></p>
          </form>
        </section>`);
      const form = el.querySelector('#sign-in');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const name = el.querySelector('#name').value.trim();
        const secret = el.querySelector('#password').value;
        const error = el.querySelector('#sign-in-error');
        error.textContent = '';
        try {
          const token = name
            ? (await api('/v2/users/login', { method: 'POST', body: { name, password: secret }, token: null })).data[0].token
            : secret.trim();
          await api('/v2/users/me', { token }); // a token that the API refuses is not kept
          session.token = token;
          signedIn();
        } catch (e) {
          error.textContent = e.status === 401 || e.status === 400 ? `Sign-in refused: ${e.message}` : `Sign-in failed: ${e.message}`;
        }
      });
    },
  };
}
