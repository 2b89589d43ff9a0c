// Billfold portal: the only script the portal serves, loaded only on its two Stripe pages,
// after Stripe.js (https://js.stripe.com/v3/). Card and account details go from Stripe's
// frames to Stripe: this script never sees them, and Billfold's server never receives them.
//
// - #stripe-setup (adding a card or a SEPA Direct Debit account): mounts Stripe's Payment
//   Element, and on submit calls stripe.confirmSetup, which returns to the portal's
//   return page (data-return-path) where the server asks Stripe what was saved.
// - #stripe-authenticate (a payment the bank wants confirmed, 3-D Secure): on submit calls
//   stripe.handleNextAction with the payment's client secret, then submits the form, and the
//   server asks Stripe where the payment is now (whatever this page believes).
(function () {
  "use strict";

  function showError(element, message) {
    if (element) {
      element.textContent = message;
      element.hidden = false;
    }
  }

  var setup = document.getElementById("stripe-setup");
  if (setup && typeof Stripe === "function") {
    var stripe = Stripe(setup.dataset.stripeKey);
    var elements = stripe.elements({ clientSecret: setup.dataset.clientSecret });
    elements.create("payment").mount("#payment-element");
    var setupError = document.getElementById("stripe-error");
    setup.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = setup.querySelector("button[type=submit]");
      button.disabled = true;
      var returnUrl = new URL(setup.dataset.returnPath, window.location.href).href;
      stripe
        .confirmSetup({ elements: elements, confirmParams: { return_url: returnUrl } })
        .then(function (result) {
          // Reached only when Stripe refused at once; a success leaves for the return page.
          if (result.error) {
            showError(setupError, result.error.message);
            button.disabled = false;
          }
        });
    });
  }

  var authenticate = document.getElementById("stripe-authenticate");
  if (authenticate && typeof Stripe === "function") {
    var stripeForPayment = Stripe(authenticate.dataset.stripeKey);
    var authError = document.getElementById("stripe-error");
    authenticate.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = authenticate.querySelector("button[type=submit]");
      button.disabled = true;
      stripeForPayment
        .handleNextAction({ clientSecret: authenticate.dataset.clientSecret })
        .then(function (result) {
          if (result.error) {
            showError(authError, result.error.message);
          }
          // Passed, failed or abandoned: the server reads the outcome from Stripe.
          authenticate.submit();
        });
    });
  }
})();
