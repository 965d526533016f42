#include "obscure.h"

#include <QRandomGenerator>

#include <array>
#include <cstdint>
#include <cstring>

namespace baricadr::rclone {

namespace {

// rclone fs/config/obscure/obscure.go: the fixed key every rclone uses.
constexpr std::array<uint8_t, 32> kRcloneKey = {
    0x9c, 0x93, 0x5b, 0x48, 0x73, 0x0a, 0x55, 0x4d, 0x6b, 0xfd, 0x7c, 0x63, 0xc8, 0x86, 0xa9, 0x2b,
    0xd3, 0x90, 0x19, 0x8e, 0xb8, 0x12, 0x8a, 0xfb, 0xf4, 0xde, 0x16, 0x2b, 0x8b, 0x95, 0xf6, 0x38,
};

constexpr std::array<uint8_t, 256> kSbox = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

uint8_t xtime(uint8_t x)
{
    return static_cast<uint8_t>((x << 1) ^ ((x & 0x80) ? 0x1b : 0x00));
}

// Plain FIPS-197 AES-256, encryption direction only (CTR mode needs nothing else).
class Aes256
{
public:
    explicit Aes256(const uint8_t *key)
    {
        std::memcpy(m_roundKeys.data(), key, 32);
        uint8_t rcon = 0x01;
        for (int i = 8; i < 60; ++i) {
            uint8_t t[4];
            std::memcpy(t, &m_roundKeys[(i - 1) * 4], 4);
            if (i % 8 == 0) {
                const uint8_t first = t[0];
                t[0] = static_cast<uint8_t>(kSbox[t[1]] ^ rcon);
                t[1] = kSbox[t[2]];
                t[2] = kSbox[t[3]];
                t[3] = kSbox[first];
                rcon = xtime(rcon);
            } else if (i % 8 == 4) {
                for (uint8_t &b : t)
                    b = kSbox[b];
            }
            for (int j = 0; j < 4; ++j)
                m_roundKeys[i * 4 + j] = m_roundKeys[(i - 8) * 4 + j] ^ t[j];
        }
    }

    void encrypt(const uint8_t *in, uint8_t *out) const
    {
        uint8_t s[16];
        std::memcpy(s, in, 16);
        addRoundKey(s, 0);
        for (int round = 1; round <= 14; ++round) {
            for (uint8_t &b : s) // SubBytes
                b = kSbox[b];
            shiftRows(s);
            if (round != 14)
                mixColumns(s);
            addRoundKey(s, round);
        }
        std::memcpy(out, s, 16);
    }

private:
    void addRoundKey(uint8_t *s, int round) const
    {
        for (int i = 0; i < 16; ++i)
            s[i] ^= m_roundKeys[round * 16 + i];
    }
    static void shiftRows(uint8_t *s)
    {
        // State is column-major: s[row + 4*col].
        uint8_t t[16];
        for (int c = 0; c < 4; ++c)
            for (int r = 0; r < 4; ++r)
                t[r + 4 * c] = s[r + 4 * ((c + r) % 4)];
        std::memcpy(s, t, 16);
    }
    static void mixColumns(uint8_t *s)
    {
        for (int c = 0; c < 4; ++c) {
            uint8_t *col = s + 4 * c;
            const uint8_t a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3];
            const uint8_t all = a0 ^ a1 ^ a2 ^ a3;
            col[0] = a0 ^ all ^ xtime(a0 ^ a1);
            col[1] = a1 ^ all ^ xtime(a1 ^ a2);
            col[2] = a2 ^ all ^ xtime(a2 ^ a3);
            col[3] = a3 ^ all ^ xtime(a3 ^ a0);
        }
    }

    std::array<uint8_t, 240> m_roundKeys{};
};

QByteArray ctr(const QByteArray &iv, const QByteArray &data)
{
    const Aes256 aes(kRcloneKey.data());
    uint8_t counter[16];
    std::memcpy(counter, iv.constData(), 16);
    QByteArray out(data.size(), Qt::Uninitialized);
    uint8_t stream[16];
    for (qsizetype i = 0; i < data.size(); ++i) {
        if (i % 16 == 0) {
            aes.encrypt(counter, stream);
            for (int k = 15; k >= 0; --k) // big-endian increment, as Go's cipher.NewCTR
                if (++counter[k] != 0)
                    break;
        }
        out[i] = static_cast<char>(static_cast<uint8_t>(data[i]) ^ stream[i % 16]);
    }
    return out;
}

constexpr auto kBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

} // namespace

QByteArray aes256EncryptBlock(const QByteArray &key32, const QByteArray &block16)
{
    if (key32.size() != 32 || block16.size() != 16)
        return QByteArray();
    const Aes256 aes(reinterpret_cast<const uint8_t *>(key32.constData()));
    QByteArray out(16, Qt::Uninitialized);
    aes.encrypt(reinterpret_cast<const uint8_t *>(block16.constData()),
                reinterpret_cast<uint8_t *>(out.data()));
    return out;
}

QString obscure(const QString &password, const QByteArray &ivIn)
{
    QByteArray iv = ivIn;
    if (iv.size() != 16) {
        iv.resize(16);
        QRandomGenerator::system()->generate(iv.begin(), iv.end());
    }
    const QByteArray raw = iv + ctr(iv, password.toUtf8());
    return QString::fromLatin1(raw.toBase64(kBase64));
}

QString reveal(const QString &obscured)
{
    const auto decoded = QByteArray::fromBase64Encoding(obscured.toLatin1(),
                                                        kBase64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() < 16)
        return QString();
    const QByteArray iv = decoded.decoded.left(16);
    return QString::fromUtf8(ctr(iv, decoded.decoded.mid(16)));
}

} // namespace baricadr::rclone
