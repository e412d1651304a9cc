// The console's router: #/ networks, #/networks/{id}, #/chargers/{id}. Without a token, the sign-in page.
import { session } from './api.js';
import { html, render } from './html.js';
import { signInPage } from './pages/signin.js';
import { networksPage } from './pages/networks.js';
import { networkPage } from './pages/network.js';
import { chargerPage } from './pages/charger.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let current = null;

const routes = [
  [/^#?\/?$/, () => networksPage()],
  [/^#\/networks\/([\w-]+)$/, (id) => networkPage(id)],
  [/^#\/chargers\/([\w-]+)$/, (id) => chargerPage(id)],
];

function show() {
  current?.dispose?.();
  current = null;
  if (!session.token) {
    render(nav, '');
    current = signInPage(() => show());
  } else {
    render(nav, html`<a href="#/">Networks</a> <button type="button" id="sign-out" class="link">Sign out</button>`);
    document.getElementById('sign-out').addEventListener('click', () => { session.clear(); location.hash = '#/'; show(); });
    const match = routes.map(([pattern, page]) => [location.hash.match(pattern), page]).find(([m]) => m);
    current = match ? match[1](...match[0].slice(1)) : notFound();
  }
  current.mount(main);
}

function notFound() {
  return { mount: (el) => render(el, html`<h1>Not found</h1><p><a href="#/">Back to the networks</a></p>`) };
}

window.addEventListener('hashchange', show);
window.addEventListener('ampcms:signed-out', show);
show();
