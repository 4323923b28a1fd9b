"""XSS payloads shared by the page tests and the browser test: each would run script, load
something, or restyle the page if it reached the page unescaped."""

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=1;alert(1)">',
    '<a href="javascript:alert(1)" id="xss-link">click</a>',
    '<svg onload="alert(1)" id="xss-svg"><circle r="1"/></svg>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%" id="xss-style">cover</p>',
    '<iframe src="javascript:alert(1)" id="xss-frame"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" id="xss-data">d</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="jav&#x61;script:alert(1)" id="xss-entity">e</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">f</a>',
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>t</details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>",
]

# What must never appear in stored text or in a rendered page, whatever the payload.
FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "ontoggle",
    "javascript:",
    "<iframe",
    "<svg",
    "style=",
    "data:text",
    "xss-",
    "<img",
    "<details",
    "<math",
]
