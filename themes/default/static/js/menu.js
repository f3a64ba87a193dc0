// The header's navigation behind a Menu button on small screens. Without this script the
// navigation is a plain list of links, which is why the button is made here, not in the HTML.
const nav = document.querySelector('.site-nav');
const list = nav && nav.querySelector('ul');
if (list) {
  list.id = 'site-nav-list';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'menu-button';
  button.textContent = 'Menu';
  button.setAttribute('aria-controls', list.id);
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('menu-open', open);
  });
  nav.prepend(button);
  nav.classList.add('has-menu');
}
