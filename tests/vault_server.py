# A stand-in for HashiCorp Vault's transit secrets engine on 127.0.0.1, for the tests of
# parkett's Vault KMS client: POST /v1/<mount>/encrypt/<key> and /decrypt/<key> as Vault
# answers them, with real AES-GCM under a 256-bit key per transit key name (made on first
# use, as Vault does when the policy allows it), and X-Vault-Token checked (403 otherwise).
# Usage: python3 vault_server.py TOKEN   (prints "PORT PID" on its first line)
import base64, json, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TOKEN = sys.argv[1]
KEYS = {}
CALLS = {"encrypt": 0, "decrypt": 0}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # /calls: how many operations were asked (the tests check caching)
        self.answer(200, CALLS)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        if self.headers.get("X-Vault-Token") != TOKEN:
            return self.answer(403, {"errors": ["permission denied"]})
        parts = self.path.strip("/").split("/")
        if len(parts) != 4 or parts[0] != "v1" or parts[2] not in ("encrypt", "decrypt"):
            return self.answer(404, {"errors": ["no handler for route"]})
        mount, op, name = parts[1], parts[2], parts[3]
        CALLS[op] += 1
        key = KEYS.setdefault((mount, name), os.urandom(32))
        if op == "encrypt":
            nonce = os.urandom(12)
            sealed = AESGCM(key).encrypt(nonce, base64.b64decode(body["plaintext"]), name.encode())
            return self.answer(200, {"data": {"ciphertext": "vault:v1:" + base64.b64encode(nonce + sealed).decode()}})
        text = body.get("ciphertext", "")
        if not text.startswith("vault:v1:"):
            return self.answer(400, {"errors": ["invalid ciphertext: no prefix"]})
        raw = base64.b64decode(text[len("vault:v1:"):])
        try:
            plain = AESGCM(key).decrypt(raw[:12], raw[12:], name.encode())
        except Exception:
            return self.answer(400, {"errors": ["cipher: message authentication failed"]})
        return self.answer(200, {"data": {"plaintext": base64.b64encode(plain).decode()}})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], os.getpid(), flush=True)
server.serve_forever()
