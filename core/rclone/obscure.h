#pragma once

#include <QByteArray>
#include <QString>

namespace baricadr::rclone {

// rclone's "obscure" encoding of a password for RCLONE_CONFIG_<NAME>_PASS: AES-256-CTR with
// rclone's published fixed key and a random 16-byte IV, IV + ciphertext in unpadded base64url.
// It is NOT encryption (anyone can reveal it): it only keeps the password off command lines
// and out of casual view. Done in-process so the clear password never goes to a child process.
// `iv` (16 bytes) is for tests; empty = random.
QString obscure(const QString &password, const QByteArray &iv = QByteArray());

// The inverse (rclone reveal); an empty optional-like null QString on malformed input.
QString reveal(const QString &obscured);

// AES-256 encryption of one 16-byte block (exposed for the FIPS-197 test vector).
QByteArray aes256EncryptBlock(const QByteArray &key32, const QByteArray &block16);

} // namespace baricadr::rclone
