'use strict';
// Carries ?next= into the form (the server accepts only console paths) and shows a failed attempt.
(function () {
  const params = new URLSearchParams(location.search);
  document.getElementById('next').value = params.get('next') || '';
  const error = document.getElementById('login-error');
  if (params.get('error') === 'locked') {
    error.textContent = 'Too many failed logins from this address: try again in ' + (Number(params.get('wait')) || 15)
      + ' min.';
    error.hidden = false;
  } else if (params.get('error')) {
    error.hidden = false;
  }
})();
