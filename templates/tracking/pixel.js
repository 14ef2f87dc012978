/* KOLHub sales pixel. On every page: keeps the tracked link's click id (kh_click) and UTM
   fields in this site's own storage. On the thank-you page call
   kolhub.conversion({id: "1001", amount: "1280.00", currency: "TWD", promoCode: "MEI15"}). */
(function () {
  "use strict";
  var ENDPOINT = "{{ endpoint|escapejs }}";
  var FIELDS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"];
  function remember(name, value) { try { window.localStorage.setItem("kolhub_" + name, value); } catch (e) {} }
  function recall(name) { try { return window.localStorage.getItem("kolhub_" + name) || ""; } catch (e) { return ""; } }
  try {
    var params = new URLSearchParams(window.location.search);
    var click = params.get("kh_click");
    if (click && /^[0-9a-f]{32}$/.test(click)) { remember("kh_click", click); }
    FIELDS.forEach(function (name) { var value = params.get(name); if (value) { remember(name, value.slice(0, 100)); } });
  } catch (e) {}
  window.kolhub = window.kolhub || {};
  window.kolhub.conversion = function (order) {
    if (!order || !order.id) { return; }
    var query = new URLSearchParams({ o: String(order.id), a: String(order.amount), c: String(order.currency || "") });
    if (order.promoCode) { query.set("p", String(order.promoCode)); }
    if (recall("kh_click")) { query.set("k", recall("kh_click")); }
    FIELDS.forEach(function (name) { if (recall(name)) { query.set(name, recall(name)); } });
    new Image(1, 1).src = ENDPOINT + "?" + query.toString();
  };
})();
