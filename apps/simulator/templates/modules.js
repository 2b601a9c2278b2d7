// Modules page of the simulated 8.3 web UI: install with certificate/licence acceptance,
// filter, and uninstall through the row's more-options menu.
(function () {
  const modules = JSON.parse(document.getElementById('module-data').textContent);
  const rows = document.getElementById('module-rows');
  const error = document.querySelector('.modules-page .error-message');
  let current = null;
  let uninstallId = null;

  function stateText(module) {
    if (module.pending) return 'PENDING RESTART';
    return module.state === 'ACTIVE' ? 'Running' : 'Not Running';
  }

  function render(filter) {
    rows.textContent = '';
    modules.filter(function (m) {
      return !filter || m.name.toLowerCase().indexOf(filter.toLowerCase()) >= 0;
    }).forEach(function (m) {
      const tr = document.createElement('tr');
      tr.dataset.moduleId = m.id;
      [m.name, m.version, stateText(m), m.licenseState].forEach(function (text, i) {
        const td = document.createElement('td');
        td.textContent = text;
        td.className = ['module-name', 'module-version', 'module-state', 'module-license'][i];
        tr.appendChild(td);
      });
      const td = document.createElement('td');
      const more = document.createElement('button');
      more.type = 'button';
      more.className = 'more-button';
      more.setAttribute('aria-label', 'more options for ' + m.name);
      more.textContent = '⋮';
      const menu = document.createElement('ul');
      menu.setAttribute('role', 'menu');
      menu.className = 'row-menu';
      menu.hidden = true;
      const item = document.createElement('li');
      item.setAttribute('role', 'menuitem');
      item.textContent = 'Uninstall';
      item.addEventListener('click', function () { openUninstall(m); });
      menu.appendChild(item);
      more.addEventListener('click', function () { menu.hidden = !menu.hidden; });
      td.appendChild(more);
      td.appendChild(menu);
      tr.appendChild(td);
      rows.appendChild(tr);
    });
  }

  function fail(e) { error.textContent = e.message; error.hidden = false; }

  window.closeDialogs = function () {
    document.querySelectorAll('.modal-backdrop').forEach(function (d) { d.hidden = true; });
  };
  window.openInstall = function () { document.getElementById('install-dialog').hidden = false; };

  window.installModule = async function () {
    const file = document.getElementById('module-file').files[0];
    if (!file) { fail(new Error('Choose a .modl file first.')); return; }
    try {
      const url = '/data/api/v1/modules/upload?fileName=' + encodeURIComponent(file.name);
      current = await sim.api('POST', url, file, 'application/octet-stream');
      document.getElementById('install-dialog').hidden = true;
      await nextStep();
    } catch (e) { fail(e); }
  };

  async function showAcceptance(title, label, details) {
    document.getElementById('accept-title').textContent = title;
    document.querySelector('.accept-label').textContent = label;
    document.querySelector('.accept-details').textContent = details;
    document.getElementById('accept-check').checked = false;
    document.getElementById('accept-button').disabled = true;
    document.getElementById('accept-dialog').hidden = false;
  }

  async function nextStep() {
    const id = encodeURIComponent(current.moduleId);
    if (current.containsCert && !current.certAccepted) {
      const cert = await sim.api('GET', '/data/api/v1/modules/certificate?moduleId=' + id);
      await showAcceptance('Module Certificate', 'I accept the module certificate',
        cert.subject + '\nSerial number: ' + cert.serialNumber);
      return;
    }
    if (current.containsEula && !current.licenseAccepted) {
      const eula = await sim.api('GET', '/data/api/v1/modules/eula?moduleId=' + id);
      await showAcceptance('License Agreement', 'I accept', eula.text);
      return;
    }
    await sim.api('POST', '/data/api/v1/modules/install?moduleId=' + id);
    window.location.reload();
  }

  window.acceptCurrent = async function () {
    const id = encodeURIComponent(current.moduleId);
    try {
      if (current.containsCert && !current.certAccepted) {
        await sim.api('POST', '/data/api/v1/modules/certificate?moduleId=' + id);
        current.certAccepted = true;
      } else {
        await sim.api('POST', '/data/api/v1/modules/eula?moduleId=' + id);
        current.licenseAccepted = true;
      }
      document.getElementById('accept-dialog').hidden = true;
      await nextStep();
    } catch (e) { fail(e); }
  };

  function openUninstall(module) {
    uninstallId = module.id;
    document.querySelector('.uninstall-name').textContent = module.name;
    document.getElementById('uninstall-dialog').hidden = false;
  }

  window.uninstallModule = async function () {
    try {
      await sim.api('DELETE', '/data/api/v1/modules/uninstall?moduleId=' + encodeURIComponent(uninstallId));
      window.location.reload();
    } catch (e) { fail(e); }
  };

  document.getElementById('accept-check').addEventListener('change', function (event) {
    document.getElementById('accept-button').disabled = !event.target.checked;
  });
  document.getElementById('module-filter').addEventListener('input', function (event) {
    render(event.target.value);
  });
  render('');
})();
