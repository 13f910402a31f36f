// Starts Swagger UI on the mock's own spec; no validator badge (it would call validator.swagger.io).
window.addEventListener('load', function startSwaggerUi() {
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
  });
});
