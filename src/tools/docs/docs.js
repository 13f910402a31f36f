// Starts Swagger UI on the mock's own spec; no validator badge (it would call validator.swagger.io).
// "Try it out" is authorized with the demo key pairs the READMEs use (any non-empty pair works
// unless the fixtures name integration or client keys), so Execute on the defaults gets an answer
// at once; Authorize changes them, and a pair entered there is kept (persistAuthorization).
window.addEventListener('load', function startSwaggerUi() {
  var DEMO_KEYS = {
    'X-App-Id': 'my-app',
    'X-App-Token': 'my-secret',
    'X-Client-Application-Id': 'my-app',
    'X-Client-Token': 'my-client-secret',
  };
  function storedAuthorization() {
    try {
      return window.localStorage.getItem('authorized');
    } catch {
      return null;
    }
  }
  window.ui = window.SwaggerUIBundle({
    url: '../openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    persistAuthorization: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    onComplete: function authorizeDemoKeys() {
      if (storedAuthorization()) return;
      Object.keys(DEMO_KEYS).forEach(function preauthorize(name) {
        window.ui.preauthorizeApiKey(name, DEMO_KEYS[name]);
      });
    },
  });
});
