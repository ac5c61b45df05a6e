'use strict';
// Carries ?next= into the form (the server accepts only console paths) and shows a failed attempt.
(function () {
  const params = new URLSearchParams(location.search);
  document.getElementById('next').value = params.get('next') || '';
  if (params.get('error')) {
    document.getElementById('login-error').hidden = false;
  }
})();
