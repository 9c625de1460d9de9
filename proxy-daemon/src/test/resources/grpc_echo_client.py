"""A plain gRPC client (Debian's python3-grpcio) for GrpcIT: calls credproxy.test.Echo through
whatever proxy grpc_proxy / https_proxy name, trusting the roots in GRPC_DEFAULT_SSL_ROOTS_FILE_PATH.

usage: grpc_echo_client.py TARGET Unary|Stream MESSAGE
Sends a forged x-goog-api-key, which the daemon must replace. Prints one line per answer message,
or "ERROR <code> <details>".
"""
import sys

import grpc


def main():
    target, method, message = sys.argv[1:4]
    with grpc.secure_channel(target, grpc.ssl_channel_credentials()) as channel:
        metadata = [("x-goog-api-key", "forged-by-the-client")]
        try:
            if method == "Unary":
                call = channel.unary_unary("/credproxy.test.Echo/Unary", request_serializer=str.encode,
                                           response_deserializer=bytes.decode)
                print(call(message, metadata=metadata, timeout=20))
            else:
                call = channel.unary_stream("/credproxy.test.Echo/Stream", request_serializer=str.encode,
                                            response_deserializer=bytes.decode)
                for answer in call(message, metadata=metadata, timeout=20):
                    print(answer)
        except grpc.RpcError as e:
            print("ERROR", e.code().name, e.details())
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
