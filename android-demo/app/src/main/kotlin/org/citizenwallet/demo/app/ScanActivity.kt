// Live scanning with Camera2 (no CameraX, no ML Kit): a preview, and YUV frames whose luma
// (Y) plane goes straight to the library's verify_luma, one frame at a time, until a QR code
// is read. The library decodes and verifies; nothing leaves the phone.
package org.citizenwallet.demo.app

import android.Manifest
import android.annotation.SuppressLint
import android.app.Activity
import android.content.pm.PackageManager
import android.graphics.Color
import android.graphics.ImageFormat
import android.graphics.SurfaceTexture
import android.hardware.camera2.CameraCaptureSession
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraDevice
import android.hardware.camera2.CameraManager
import android.hardware.camera2.CaptureRequest
import android.media.Image
import android.media.ImageReader
import android.os.Bundle
import android.os.Handler
import android.os.HandlerThread
import android.util.Size
import android.view.Gravity
import android.view.Surface
import android.view.TextureView
import android.widget.FrameLayout
import android.widget.TextView
import org.citizenwallet.demo.ScanResult

class ScanActivity : Activity() {
    private lateinit var app: DemoApp
    private lateinit var preview: TextureView
    private lateinit var status: TextView
    private var thread: HandlerThread? = null
    private var handler: Handler? = null
    private var camera: CameraDevice? = null
    private var session: CameraCaptureSession? = null
    private var reader: ImageReader? = null
    @Volatile
    private var done = false

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        app = DemoApp.of(this)
        preview = TextureView(this).apply { contentDescription = getString(R.string.camera_preview_description) }
        status = TextView(this).apply {
            text = stacked(R.string.scan_hint)
            textSize = 18f
            setTextColor(Color.WHITE)
            setBackgroundColor(Color.argb(160, 0, 0, 0))
            gravity = Gravity.CENTER
            setPadding(dp(12), dp(12), dp(12), dp(12))
        }
        val root = FrameLayout(this)
        root.addView(preview)
        root.addView(status, FrameLayout.LayoutParams(
            FrameLayout.LayoutParams.MATCH_PARENT, FrameLayout.LayoutParams.WRAP_CONTENT, Gravity.BOTTOM,
        ))
        setContentView(root)
        preview.surfaceTextureListener = object : TextureView.SurfaceTextureListener {
            override fun onSurfaceTextureAvailable(s: SurfaceTexture, width: Int, height: Int) = start()
            override fun onSurfaceTextureSizeChanged(s: SurfaceTexture, width: Int, height: Int) {}
            override fun onSurfaceTextureDestroyed(s: SurfaceTexture): Boolean = true
            override fun onSurfaceTextureUpdated(s: SurfaceTexture) {}
        }
        if (checkSelfPermission(Manifest.permission.CAMERA) != PackageManager.PERMISSION_GRANTED) {
            requestPermissions(arrayOf(Manifest.permission.CAMERA), REQ_CAMERA)
        }
    }

    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        if (grantResults.firstOrNull() == PackageManager.PERMISSION_GRANTED) {
            start()
        } else {
            status.text = stacked(R.string.camera_permission_needed)
        }
    }

    override fun onResume() {
        super.onResume()
        thread = HandlerThread("qr-scan").also { it.start() }
        handler = Handler(thread!!.looper)
        start()
    }

    override fun onPause() {
        stop()
        super.onPause()
    }

    @SuppressLint("MissingPermission") // checked just below
    private fun start() {
        val h = handler ?: return
        if (camera != null || !preview.isAvailable) return
        if (checkSelfPermission(Manifest.permission.CAMERA) != PackageManager.PERMISSION_GRANTED) return
        val manager = getSystemService(CameraManager::class.java) ?: return
        val id = manager.cameraIdList.firstOrNull {
            manager.getCameraCharacteristics(it).get(CameraCharacteristics.LENS_FACING) == CameraCharacteristics.LENS_FACING_BACK
        } ?: manager.cameraIdList.firstOrNull() ?: run {
            status.text = both(R.string.no_camera)
            return
        }
        val sizes = manager.getCameraCharacteristics(id)
            .get(CameraCharacteristics.SCALER_STREAM_CONFIGURATION_MAP)
            ?.getOutputSizes(ImageFormat.YUV_420_888).orEmpty()
        // The largest frame within the verifier's pixel limit (a phone's QR code fills much of it).
        val size = sizes.filter { it.width * it.height <= QrBitmap.MAX_SCAN_PIXELS }
            .maxByOrNull { it.width * it.height } ?: Size(640, 480)
        reader = ImageReader.newInstance(size.width, size.height, ImageFormat.YUV_420_888, 2).apply {
            setOnImageAvailableListener({ onFrame(it) }, h)
        }
        manager.openCamera(id, object : CameraDevice.StateCallback() {
            override fun onOpened(device: CameraDevice) {
                camera = device
                startSession(device, size, h)
            }

            override fun onDisconnected(device: CameraDevice) {
                device.close()
                camera = null
            }

            override fun onError(device: CameraDevice, error: Int) {
                device.close()
                camera = null
                runOnUiThread { status.text = both(R.string.camera_error, error) }
            }
        }, h)
    }

    private fun startSession(device: CameraDevice, size: Size, h: Handler) {
        val texture = preview.surfaceTexture ?: return
        texture.setDefaultBufferSize(size.width, size.height)
        val targets = listOf(Surface(texture), reader!!.surface)
        val request = device.createCaptureRequest(CameraDevice.TEMPLATE_PREVIEW).apply {
            targets.forEach { addTarget(it) }
            set(CaptureRequest.CONTROL_AF_MODE, CaptureRequest.CONTROL_AF_MODE_CONTINUOUS_PICTURE)
        }.build()
        @Suppress("DEPRECATION") // the list-of-surfaces form exists on every API level we support
        device.createCaptureSession(targets, object : CameraCaptureSession.StateCallback() {
            override fun onConfigured(s: CameraCaptureSession) {
                session = s
                s.setRepeatingRequest(request, null, h)
            }

            override fun onConfigureFailed(s: CameraCaptureSession) {
                runOnUiThread { status.text = both(R.string.camera_start_failed) }
            }
        }, h)
    }

    /** On the scan thread: one frame's luma plane to the verifier. */
    private fun onFrame(r: ImageReader) {
        val image = r.acquireLatestImage() ?: return
        try {
            if (done) return
            val (w, h, luma) = lumaPlane(image)
            // Two-way: the answer goes to the counter that made the request (accepted once).
            val result = if (app.scanningAnswer) {
                app.requestingCounter.scanAnswerLuma(w, h, luma)?.let { ScanResult.Checked(it) }
                    ?: ScanResult.Unreadable("", "")
            } else {
                app.counter.scanLuma(w, h, luma)
            }
            if (result is ScanResult.Checked) { // unreadable frames: keep looking
                done = true
                app.lastScan = result
                runOnUiThread {
                    setResult(RESULT_OK)
                    finish()
                }
            }
        } catch (e: Exception) {
            runOnUiThread { status.text = both(R.string.scan_error, e.javaClass.simpleName) }
        } finally {
            image.close()
        }
    }

    /** The Y plane without its row padding. */
    private fun lumaPlane(image: Image): Triple<Int, Int, ByteArray> {
        val plane = image.planes[0]
        val w = image.width
        val h = image.height
        val buffer = plane.buffer
        val out = ByteArray(w * h)
        if (plane.pixelStride == 1) {
            for (y in 0 until h) {
                buffer.position(y * plane.rowStride)
                buffer.get(out, y * w, w)
            }
        } else {
            for (y in 0 until h) for (x in 0 until w) out[y * w + x] = buffer.get(y * plane.rowStride + x * plane.pixelStride)
        }
        return Triple(w, h, out)
    }

    private fun stop() {
        session?.close()
        session = null
        camera?.close()
        camera = null
        reader?.close()
        reader = null
        thread?.quitSafely()
        thread = null
        handler = null
    }

    companion object {
        private const val REQ_CAMERA = 10
    }
}
